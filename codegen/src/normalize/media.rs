//! The versioned media types of the Atlas Admin API,
//! `application/vnd.atlas.{YYYY-MM-DD|preview}+{json|gzip|csv}`, and their sunset dates.

use openapiv3::MediaType;

use crate::ir::ApiVersion;

/// A parsed `application/vnd.atlas.<version>+<format>` media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtlasMedia {
    pub version: ApiVersion,
    pub format: String,
}

/// Parse an Atlas versioned media type; `None` for anything else.
pub fn parse_media(media: &str) -> Option<AtlasMedia> {
    let rest = media.strip_prefix("application/vnd.atlas.")?;
    let (version, format) = rest.split_once('+')?;
    let format = format.split(';').next()?.trim().to_owned();
    let version = if version == "preview" {
        ApiVersion::Preview
    } else {
        let b = version.as_bytes();
        let dated = matches!(b, [_, _, _, _, b'-', _, _, b'-', _, _])
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !dated {
            return None;
        }
        ApiVersion::Dated(version.to_owned())
    };
    Some(AtlasMedia { version, format })
}

/// The `x-sunset` date a media type carries, if any.
pub(crate) fn sunset_of(media: &MediaType) -> Option<String> {
    media
        .extensions
        .get("x-sunset")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_atlas_media_types() {
        assert_eq!(
            parse_media("application/vnd.atlas.2024-08-05+json"),
            Some(AtlasMedia {
                version: ApiVersion::Dated("2024-08-05".into()),
                format: "json".into()
            })
        );
        assert_eq!(
            parse_media("application/vnd.atlas.preview+gzip"),
            Some(AtlasMedia {
                version: ApiVersion::Preview,
                format: "gzip".into()
            })
        );
        assert_eq!(
            parse_media("application/vnd.atlas.2023-02-01+json;charset=utf-8").map(|m| m.format),
            Some("json".into())
        );
        assert_eq!(parse_media("application/json"), None);
        assert_eq!(parse_media("application/vnd.atlas.2024-8-05+json"), None);
    }
}
