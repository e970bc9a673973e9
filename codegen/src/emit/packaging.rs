//! Which crate each generated file goes to. One rustc process compiles one crate and
//! holds the front end of all of it at once, so the published layout spreads the models
//! over a base crate and a few area-group crates that cargo compiles side by side, behind
//! one facade (`atlas-admin`) whose paths (`atlas_admin::models::X`,
//! `atlas_admin::apis::clusters`) are the API. aws-sdk-rust ships a crate per service and
//! async-stripe one per group of areas for the same reason.
//!
//! - the **base** crate (`atlas-admin-base`) holds the hand-written runtime and every
//!   model reached from areas of more than one group (or from none);
//! - each **group** crate holds its areas' operations and the models only they reach;
//! - the **facade** re-exports them, behind the same features.
//!
//! A model's home follows from its reach, which is closed under references (what a model
//! refers to is reached by at least the same areas), so a group crate needs only the base
//! and no group needs another.
//!
//! [`Layout::Single`] keeps everything in one crate: the fixtures' snapshots and the
//! semver oracle use it (cargo-semver-checks sees only one crate's own items), and its
//! items and paths are the facade's.

use std::collections::BTreeSet;

use crate::inputs::CRATE_DIR;
use crate::ir::{Api, FeatureContext};

/// How the generated files are packaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// One crate, `atlas-admin`, in `generated/`.
    #[default]
    Single,
    /// The base, group and facade crates of the published package.
    Split,
}

/// A crate of the split layout that holds areas.
pub struct Group {
    /// The crate's name after `atlas-admin-`, and its directory under `generated/crates/`.
    pub name: &'static str,
    /// What its areas have in common, for its docs.
    pub about: &'static str,
    pub areas: &'static [&'static str],
}

/// The group crates. An area the table does not name (a new tag upstream) goes to the
/// last group, so a new document always generates; the diff reports the new area.
pub const GROUPS: &[Group] = &[
    Group {
        name: "deployments",
        about: "clusters, backups, search, streams, federation, networking and the other deployment areas",
        areas: &[
            "atlas_search",
            "aws_clusters_dns",
            "cloud_backups",
            "cloud_migration_service",
            "cloud_provider_access",
            "cluster_outage_simulation",
            "clusters",
            "data_federation",
            "encryption_at_rest_using_customer_key_management",
            "flex_clusters",
            "flex_restore_jobs",
            "flex_snapshots",
            "global_clusters",
            "legacy_backup",
            "network_peering",
            "online_archive",
            "overload_protection_simulation",
            "private_endpoint_services",
            "rolling_index",
            "sandbox",
            "serverless_instances",
            "serverless_private_endpoints",
            "standby_links",
            "streams",
        ],
    },
    Group {
        name: "observability",
        about: "alerts, events, metrics, logs, auditing and integrations",
        areas: &[
            "access_tracking",
            "activity_feed",
            "alert_configurations",
            "alerts",
            "auditing",
            "collection_level_metrics",
            "events",
            "metric_integrations",
            "monitoring_and_logs",
            "performance_advisor",
            "push_based_log_export",
            "query_shape_insights",
            "third_party_integrations",
        ],
    },
    Group {
        name: "platform",
        about: "organizations, projects, users, access, billing and every other area",
        areas: &[],
    },
];

/// The base crate's directory name (under `generated/crates/`) and name suffix.
pub const BASE: &str = "base";

/// The crate a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Home {
    /// The one crate of [`Layout::Single`].
    Single,
    Base,
    /// An index into [`GROUPS`].
    Group(usize),
    /// The split layout's `atlas-admin`.
    Facade,
}

/// The layout and the group of every area, computed once per emit run.
pub struct Packaging {
    pub layout: Layout,
    /// The areas with operations and their groups, in the document's tag order.
    areas: Vec<(String, usize)>,
}

impl Packaging {
    pub fn of(api: &Api, layout: Layout) -> Self {
        let areas = api
            .tags_with_operations()
            .map(|tag| (tag.module.clone(), group_of(&tag.module)))
            .collect();
        Packaging { layout, areas }
    }

    /// The group an area belongs to.
    fn group(&self, area: &str) -> usize {
        self.areas
            .iter()
            .find(|(a, _)| a == area)
            .map_or_else(|| group_of(area), |(_, g)| *g)
    }

    /// Where a model reached from `reach` lives: the group of its areas when they are all
    /// one group's, the base otherwise.
    pub fn home_of_model(&self, reach: &BTreeSet<FeatureContext>) -> Home {
        if self.layout == Layout::Single {
            return Home::Single;
        }
        let groups: BTreeSet<usize> = reach.iter().map(|c| self.group(&c.tag_module)).collect();
        match groups.into_iter().collect::<Vec<_>>().as_slice() {
            [only] => Home::Group(*only),
            _ => Home::Base,
        }
    }

    /// Where an area's operations live.
    pub fn home_of_area(&self, area: &str) -> Home {
        match self.layout {
            Layout::Single => Home::Single,
            Layout::Split => Home::Group(self.group(area)),
        }
    }

    /// The group crates that have at least one area, in [`GROUPS`] order.
    pub fn groups(&self) -> Vec<usize> {
        let used: BTreeSet<usize> = self.areas.iter().map(|(_, g)| *g).collect();
        used.into_iter().collect()
    }

    /// The areas of a group, in the document's order.
    pub fn areas_of(&self, group: usize) -> impl Iterator<Item = &str> {
        self.areas
            .iter()
            .filter(move |(_, g)| *g == group)
            .map(|(a, _)| a.as_str())
    }

    /// Every crate the layout emits, model-holding crates first.
    pub fn homes(&self) -> Vec<Home> {
        match self.layout {
            Layout::Single => vec![Home::Single],
            Layout::Split => std::iter::once(Home::Base)
                .chain(self.groups().into_iter().map(Home::Group))
                .chain(std::iter::once(Home::Facade))
                .collect(),
        }
    }
}

/// The group the table puts an area in; the last group for an area it does not name.
fn group_of(area: &str) -> usize {
    GROUPS
        .iter()
        .position(|g| g.areas.contains(&area))
        .unwrap_or(GROUPS.len() - 1)
}

impl Home {
    /// The crate's directory, relative to the workspace root.
    pub fn dir(self) -> String {
        match self {
            Home::Single | Home::Facade => CRATE_DIR.to_owned(),
            Home::Base => format!("{CRATE_DIR}/crates/{BASE}"),
            Home::Group(g) => format!("{CRATE_DIR}/crates/{}", group_name(g)),
        }
    }

    /// The package name.
    pub fn package(self) -> String {
        match self {
            Home::Single | Home::Facade => "atlas-admin".to_owned(),
            Home::Base => format!("atlas-admin-{BASE}"),
            Home::Group(g) => format!("atlas-admin-{}", group_name(g)),
        }
    }

    /// The crate's name in Rust paths.
    pub fn ident(self) -> proc_macro2::Ident {
        quote::format_ident!("{}", self.package().replace('-', "_"))
    }
}

fn group_name(group: usize) -> &'static str {
    GROUPS.get(group).map_or("platform", |g| g.name)
}

/// Every directory a split layout may own, whether or not the current document fills it:
/// a group that loses its last area leaves files that `check` must report.
pub fn all_split_dirs() -> Vec<String> {
    std::iter::once(Home::Base)
        .chain((0..GROUPS.len()).map(Home::Group))
        .map(Home::dir)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packaging(areas: &[&str]) -> Packaging {
        Packaging {
            layout: Layout::Split,
            areas: areas.iter().map(|a| (a.to_string(), group_of(a))).collect(),
        }
    }

    fn reach(areas: &[&str]) -> BTreeSet<FeatureContext> {
        areas
            .iter()
            .map(|a| FeatureContext {
                tag_module: a.to_string(),
                preview_only: false,
            })
            .collect()
    }

    #[test]
    fn a_model_of_one_group_lives_there_and_one_of_several_in_the_base() {
        let p = packaging(&["clusters", "cloud_backups", "alerts", "projects"]);
        assert_eq!(
            p.home_of_model(&reach(&["clusters", "cloud_backups"])),
            Home::Group(0)
        );
        assert_eq!(p.home_of_model(&reach(&["alerts"])), Home::Group(1));
        assert_eq!(p.home_of_model(&reach(&["clusters", "alerts"])), Home::Base);
        assert_eq!(p.home_of_model(&reach(&[])), Home::Base);
    }

    #[test]
    fn an_area_the_table_does_not_name_goes_to_the_last_group() {
        let p = packaging(&["clusters", "brand_new_area"]);
        assert_eq!(
            p.home_of_area("brand_new_area"),
            Home::Group(GROUPS.len() - 1)
        );
        assert_eq!(p.groups(), vec![0, GROUPS.len() - 1]);
        assert_eq!(
            p.homes(),
            vec![
                Home::Base,
                Home::Group(0),
                Home::Group(GROUPS.len() - 1),
                Home::Facade
            ]
        );
    }

    #[test]
    fn the_single_layout_is_one_crate_in_generated() {
        let p = Packaging {
            layout: Layout::Single,
            areas: vec![("alerts".into(), 1)],
        };
        assert_eq!(
            p.home_of_model(&reach(&["alerts", "clusters"])),
            Home::Single
        );
        assert_eq!(p.homes(), vec![Home::Single]);
        assert_eq!(Home::Single.dir(), "generated");
        assert_eq!(Home::Group(1).dir(), "generated/crates/observability");
        assert_eq!(Home::Group(1).package(), "atlas-admin-observability");
    }

    #[test]
    fn the_table_names_each_area_once() {
        let mut seen = BTreeSet::new();
        for area in GROUPS.iter().flat_map(|g| g.areas) {
            assert!(seen.insert(area), "{area} is in two groups");
        }
    }
}
