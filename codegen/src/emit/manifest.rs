//! Each generated crate's `Cargo.toml`, from the hand-maintained template plus one feature
//! per API area. The template lists what generated code names; the hand-written runtime
//! is a crate of its own (`runtime/`, its own manifest) that the base crate (or the single
//! crate) depends on at exactly the package's version. In the split layout
//! ([`super::packaging`]) a group crate depends on the base, and the facade on the crates
//! it re-exports, with the template's dev-dependencies for its hand-written tests. Every
//! crate has the template's one version.

use crate::diag::Error;

use super::packaging::{Home, GROUPS};
use super::Context;

const TEMPLATE: &str = include_str!("../../templates/Cargo.toml");

/// The dependencies generated models and operations name (the runtime names the rest).
const GENERATED_CODE_USES: &[&str] = &["futures-core", "serde", "serde_json"];

/// The hand-written runtime's package and its folder, relative to the workspace root.
pub const RUNTIME_PACKAGE: &str = "atlas-admin-runtime";

/// `atlas-admin-runtime = { .. }` at exactly the package's version, from `dir` (the
/// runtime's folder relative to the manifest's).
fn runtime_dependency(version: &str, path: &str) -> String {
    format!("{RUNTIME_PACKAGE} = {{ version = \"={version}\", path = \"{path}\" }}\n")
}

/// A feature of the runtime's (`test-util`: the mock; `keychain`), forwarded to it.
fn runtime_feature(feature: &str) -> String {
    quoted_list([format!("{RUNTIME_PACKAGE}/{feature}")])
}

pub fn manifest(cx: &Context<'_>, home: Home, header: &str) -> Result<String, Error> {
    let template = Template::parse(cx.api.package_version.as_deref())?;
    let body = match home {
        Home::Single => single(cx, &template),
        Home::Base => base(cx, &template),
        Home::Group(group) => group_manifest(cx, &template, group),
        Home::Facade => facade(cx, &template),
    };
    Ok(format!("{header}{body}"))
}

/// The template cut at its tables.
struct Template {
    package: String,
    docs_rs: String,
    features: String,
    dependencies: String,
    dev_dependencies: String,
    version: String,
}

impl Template {
    /// The template, with `version` (the runtime's) in place of its own when given.
    fn parse(version: Option<&str>) -> Result<Self, Error> {
        let table = |name: &str| -> Result<String, Error> {
            let header = format!("[{name}]\n");
            let start = TEMPLATE.find(&header).ok_or_else(|| template_error(name))?;
            let body = &TEMPLATE[start + header.len()..];
            let end = body.find("\n[").map_or(body.len(), |i| i + 1);
            Ok(body[..end].to_owned())
        };
        let mut package = table("package")?;
        let own = package
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .ok_or_else(|| template_error("package.version"))?
            .to_owned();
        let version = version.map_or(own.clone(), str::to_owned);
        package = package.replacen(
            &format!("version = \"{own}\""),
            &format!("version = \"{version}\""),
            1,
        );
        Ok(Template {
            docs_rs: table("package.metadata.docs.rs")?,
            features: table("features")?,
            dependencies: table("dependencies")?,
            dev_dependencies: table("dev-dependencies")?,
            package,
            version,
        })
    }

    /// The `[package]` table of an inner crate: its own name and description, no README.
    fn inner_package(&self, home: Home, description: &str) -> String {
        let name = home.package();
        self.package
            .lines()
            .filter(|l| !l.starts_with("readme = "))
            .map(|l| {
                if l.starts_with("name = ") {
                    format!("name = \"{name}\"")
                } else if l.starts_with("description = ") {
                    format!("description = {description:?}")
                } else if l.starts_with("documentation = ") {
                    format!("documentation = \"https://docs.rs/{name}\"")
                } else {
                    l.to_owned()
                }
            })
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// The dependencies named in `keep`, with the comment lines above each.
    fn dependencies_named(&self, keep: &[&str]) -> String {
        let mut out = String::new();
        let mut comments = String::new();
        for line in self.dependencies.lines() {
            if line.starts_with('#') {
                comments.push_str(line);
                comments.push('\n');
                continue;
            }
            let name = line.split(" = ").next().unwrap_or_default();
            if keep.contains(&name) {
                out.push_str(&comments);
                out.push_str(line);
                out.push('\n');
            }
            comments.clear();
        }
        out
    }
}

fn template_error(table: &str) -> Error {
    Error::Emit {
        file: "codegen/templates/Cargo.toml".into(),
        message: format!("the template has no `{table}`"),
    }
}

/// One `area = [..]` line per area, each under its tag's name.
fn area_features(cx: &Context<'_>, areas: &[&str], value: impl Fn(&str) -> String) -> String {
    cx.api
        .tags_with_operations()
        .filter(|t| areas.contains(&t.module.as_str()))
        .map(|t| {
            format!(
                "# {}\n{} = {}\n",
                comment_text(&t.name),
                t.module,
                value(&t.module)
            )
        })
        .collect()
}

fn all_areas<'a>(cx: &'a Context<'_>) -> Vec<&'a str> {
    cx.api
        .tags_with_operations()
        .map(|t| t.module.as_str())
        .collect()
}

/// The template's `[features]` with `preview`, the runtime's features and the areas
/// filled in; `forward` says what a runtime feature enables in this crate.
fn features(
    template: &Template,
    default: Option<&str>,
    preview: &str,
    forward: &dyn Fn(&str) -> String,
    areas: &str,
) -> String {
    template
        .features
        .lines()
        .filter(|l| default.is_some() || !l.starts_with("default = "))
        .map(|l| match l {
            "preview = []" => format!("preview = {preview}\n"),
            "test-util = []" => format!("test-util = {}\n", forward("test-util")),
            "keychain = []" => format!("keychain = {}\n", forward("keychain")),
            "{features}" => format!("{areas}\n"),
            l if l.starts_with("default = ") => format!("default = [{}]\n", default.unwrap_or("")),
            l if default.is_none() && l.starts_with("# One feature per API area") => {
                "# One feature per API area (OpenAPI tag), enabled through `atlas-admin`.\n".into()
            }
            l => format!("{l}\n"),
        })
        .collect()
}

/// `"a", "b"`: the inside of a TOML array of strings.
fn quoted(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("\"{i}\"")).collect();
    items.join(", ")
}

fn quoted_list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", quoted(items))
}

fn single(cx: &Context<'_>, t: &Template) -> String {
    let areas = all_areas(cx);
    let default = quoted(areas.iter().map(|a| a.to_string()));
    let default = default.as_str();
    let features = features(
        t,
        Some(default),
        "[]",
        &runtime_feature,
        &area_features(cx, &areas, |_| "[]".into()),
    );
    format!(
        "[package]\n{}[package.metadata.docs.rs]\n{}[features]\n{}[dependencies]\n{}{}[dev-dependencies]\n{}",
        t.package,
        t.docs_rs,
        features,
        runtime_dependency(&t.version, "../runtime"),
        t.dependencies,
        t.dev_dependencies
    )
}

fn base(cx: &Context<'_>, t: &Template) -> String {
    let areas = all_areas(cx);
    let package = t.inner_package(
        Home::Base,
        "The models several areas of atlas-admin share, the typed client for the MongoDB Atlas Administration API v2. Depend on atlas-admin.",
    );
    let features = features(
        t,
        None,
        "[]",
        &runtime_feature,
        &area_features(cx, &areas, |_| "[]".into()),
    );
    format!(
        "[package]\n{package}[package.metadata.docs.rs]\n{}[features]\n{features}[dependencies]\n{}{}",
        t.docs_rs,
        runtime_dependency(&t.version, "../../../runtime"),
        t.dependencies
    )
}

fn group_manifest(cx: &Context<'_>, t: &Template, group: usize) -> String {
    let areas: Vec<&str> = cx.packaging.areas_of(group).collect();
    let about = GROUPS.get(group).map_or("", |g| g.about);
    let package = t.inner_package(
        Home::Group(group),
        &format!("The atlas-admin areas for {about}: part of the typed client for the MongoDB Atlas Administration API v2. Depend on atlas-admin."),
    );
    let base = Home::Base.package();
    let forward = |feature: &str| quoted_list([format!("{base}/{feature}")]);
    let features = features(
        t,
        None,
        &forward("preview"),
        &forward,
        &area_features(cx, &areas, forward),
    );
    let version = &t.version;
    format!(
        "[package]\n{package}[package.metadata.docs.rs]\n{}[features]\n{features}[dependencies]\n\
         {base} = {{ version = \"={version}\", path = \"../{}\" }}\n{}",
        t.docs_rs,
        super::packaging::BASE,
        t.dependencies_named(GENERATED_CODE_USES)
    )
}

fn facade(cx: &Context<'_>, t: &Template) -> String {
    let areas = all_areas(cx);
    let default = quoted(areas.iter().map(|a| a.to_string()));
    let base = Home::Base.package();
    let groups: Vec<String> = cx
        .packaging
        .groups()
        .into_iter()
        .map(|g| Home::Group(g).package())
        .collect();
    let forward = |feature: &str| {
        quoted_list(
            std::iter::once(format!("{base}/{feature}"))
                .chain(groups.iter().map(|g| format!("{g}?/{feature}"))),
        )
    };
    let area = |area: &str| {
        let group = cx.packaging.home_of_area(area).package();
        quoted_list([format!("dep:{group}"), format!("{group}/{area}")])
    };
    let features = features(
        t,
        Some(&default),
        &forward("preview"),
        &forward,
        &area_features(cx, &areas, area),
    );
    let version = &t.version;
    let mut dependencies = format!(
        "{base} = {{ version = \"={version}\", path = \"crates/{}\" }}\n",
        super::packaging::BASE
    );
    for group in cx.packaging.groups() {
        let home = Home::Group(group);
        let dir = home.dir();
        let dir = dir.rsplit('/').next().unwrap_or_default();
        dependencies.push_str(&format!(
            "{} = {{ version = \"={version}\", path = \"crates/{dir}\", optional = true }}\n",
            home.package()
        ));
    }
    // The hand-written tests and examples use what generated code names directly too.
    let dev_named: Vec<&str> = t
        .dev_dependencies
        .lines()
        .filter_map(|l| l.split(" = ").next())
        .collect();
    let runtime_dependencies: Vec<&str> = t
        .dependencies
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(" = ").next())
        .filter(|name| !name.is_empty() && !dev_named.contains(name))
        .collect();
    format!(
        "[package]\n{}[package.metadata.docs.rs]\n{}[features]\n{features}[dependencies]\n{dependencies}\n\
         [dev-dependencies]\n{}{}",
        t.package,
        t.docs_rs,
        t.dependencies_named(&runtime_dependencies),
        t.dev_dependencies
    )
}

/// Spec text made safe for a TOML comment: a newline in a tag name would otherwise end
/// the comment and let the rest become manifest tables (`[dependencies]`).
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::comment_text;

    #[test]
    fn comments_stay_one_line() {
        assert_eq!(
            comment_text("Clusters\n[dependencies]\r\nevil = \"1\""),
            "Clusters [dependencies]  evil = \"1\""
        );
    }
}
