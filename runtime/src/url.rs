//! The one place request URLs are made. The base URL is checked once (scheme, no userinfo,
//! query or fragment); each request URL is the base with a validated path, so no path can
//! change the host or port, and no dot segment can climb to another resource.

use reqwest::Url;

use super::request::{is_dot_segment, query_string};
use super::{Error, HttpRequest};

/// A checked base URL: `https` (or `http` on a loopback host), nothing but scheme, host,
/// port and an optional path prefix.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    base: Url,
    /// The base as given, without a trailing slash, e.g. `https://cloud.mongodb.com`.
    shown: String,
    /// The base path without its trailing slash (`""` for most bases).
    prefix: String,
}

/// A URL as it may be shown in an error or in `Debug`: when it has an `@`, everything
/// between its scheme and the last `@` is replaced by `***`. The url crate finds an
/// authority after `https:`, `https:/`, `https:\\` or `https://` alike, and a password
/// may contain `/`, so no narrower cut is safe in a URL that may not parse.
pub(crate) fn redact(url: &str) -> String {
    let Some((before, host)) = url.rsplit_once('@') else {
        return url.to_owned();
    };
    let scheme = before
        .split_once(':')
        .map(|(scheme, _)| scheme)
        .filter(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        });
    match scheme {
        Some(scheme) => format!("{scheme}://***@{host}"),
        None => format!("***@{host}"),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(host)) => host == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Endpoint {
    pub(crate) fn parse(given: &str) -> Result<Self, Error> {
        let shown = redact(given);
        let bad = |why: String| Error::Config(format!("base URL `{shown}`: {why}"));
        let trimmed = given.trim_end_matches('/');
        let base = Url::parse(trimmed).map_err(|e| bad(e.to_string()))?;
        if !base.username().is_empty() || base.password().is_some() {
            return Err(bad("must not carry credentials (user:password@)".into()));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(bad("must not have a query or fragment".into()));
        }
        match base.scheme() {
            "https" => {}
            "http" if is_loopback(&base) => {}
            "http" => return Err(bad("plain http is allowed only for loopback hosts".into())),
            other => return Err(bad(format!("unsupported scheme `{other}`"))),
        }
        Ok(Endpoint {
            prefix: base.path().trim_end_matches('/').to_owned(),
            shown: trimmed.to_owned(),
            base,
        })
    }

    /// Whether requests stay on this machine (`localhost`, `127.0.0.0/8`, `::1`).
    pub(crate) fn is_loopback(&self) -> bool {
        is_loopback(&self.base)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.shown
    }

    /// Whether this is Atlas for Government's host (`cloud.mongodbgov.com`).
    pub(crate) fn is_government(&self) -> bool {
        self.base
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case("cloud.mongodbgov.com"))
    }

    /// A fixed path under the base (the OAuth token endpoint).
    pub(crate) fn fixed(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!("{}{path}", self.prefix));
        url
    }

    /// The URL of a request: the base's scheme, host and port, the base path prefix, the
    /// request's path and its query. Any path that would not stay a plain path under the
    /// base is [`Error::InvalidInput`].
    pub(crate) fn request_url(&self, request: &HttpRequest) -> Result<Url, Error> {
        check_path(&request.path)?;
        let mut url = self.base.clone();
        url.set_path(&format!("{}{}", self.prefix, request.path));
        let query = query_string(&request.query);
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        let expected = self.prefix.split('/').count() + request.path.split('/').count() - 1;
        let kept = url.path_segments().map_or(0, Iterator::count) + 1;
        if url.host() != self.base.host() || url.port() != self.base.port() || kept != expected {
            return Err(invalid(
                &request.path,
                "is not a plain path under the base URL",
            ));
        }
        Ok(url)
    }
}

fn invalid(path: &str, why: &str) -> Error {
    Error::InvalidInput(format!("request path `{}` {why}", path.escape_debug()))
}

/// A request path is `/`-separated segments: no query, fragment, backslash or control
/// character, no empty segment before the last, no `.`/`..` in any percent-encoding.
fn check_path(path: &str) -> Result<(), Error> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(invalid(path, "must start with `/`"));
    };
    if path.contains(['?', '#', '\\']) || path.chars().any(char::is_control) {
        return Err(invalid(
            path,
            "must not contain `?`, `#`, `\\` or control characters",
        ));
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() && i != last {
            return Err(invalid(path, "has an empty segment"));
        }
        if is_dot_segment(segment) {
            return Err(invalid(path, "has a `.` or `..` segment"));
        }
    }
    Ok(())
}

/// The request-target sent on the wire (path and query): what Digest signs.
pub(crate) fn request_target(url: &Url) -> &str {
    &url[url::Position::BeforePath..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_userinfo_only() {
        assert_eq!(redact("https://u:p@h.com/x"), "https://***@h.com/x");
        assert_eq!(redact("https://svc:ab/cd@host"), "https://***@host");
        assert_eq!(redact("https://h.com/a"), "https://h.com/a");
        assert_eq!(redact("not a url"), "not a url");
        for spelling in ["https:/u:p@h.com", "https:u:p@h.com", "https:\\\\u:p@h.com"] {
            assert_eq!(redact(spelling), "https://***@h.com", "{spelling}");
        }
        assert_eq!(redact(":p@h.com"), "***@h.com");
    }

    #[test]
    fn keeps_a_base_path_prefix() {
        let endpoint = Endpoint::parse("http://127.0.0.1:9/prefix/").unwrap();
        let mut request = HttpRequest::new(
            super::super::Method::GET,
            "/api/x".into(),
            "application/json",
        );
        request.query("a", "b c").unwrap();
        let url = endpoint.request_url(&request).unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:9/prefix/api/x?a=b%20c");
        assert_eq!(request_target(&url), "/prefix/api/x?a=b%20c");
        assert_eq!(
            endpoint.fixed("/api/oauth/token").as_str(),
            "http://127.0.0.1:9/prefix/api/oauth/token"
        );
    }
}
