//! The semver rules of the generated crate: what each kind of upstream change means for
//! code built on it. README "Releasing" renders [`Rule::ALL`] as its table, so the rules
//! and their documentation cannot drift apart.

use serde::Serialize;

/// What a change needs: a major release breaks some downstream code, a minor one adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Patch,
    Minor,
    Major,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        }
    }
}

/// Each kind of change the diff reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    AreaAdded,
    AreaRemoved,
    OperationAdded,
    OperationRemoved,
    VersionAdded,
    VersionRemoved,
    PreviewGraduated,
    PlainRetargeted,
    ParameterAdded,
    RequiredParameterAdded,
    ParameterRemoved,
    ParameterRequiredness,
    ParameterType,
    BodyChanged,
    ResponseChanged,
    ResponseKept,
    Sunset,
    Deprecated,
    RemovedUpstream,
    ModelAdded,
    ModelRemoved,
    ModelKind,
    FieldAdded,
    FieldRemoved,
    FieldType,
    FieldWire,
    TypeKept,
    EnumValueAdded,
    EnumValueRemoved,
    MemberAdded,
    MemberRemoved,
    TagValues,
    SharedEnum,
}

impl Rule {
    /// Every rule, in the order README lists them.
    pub const ALL: [Rule; 33] = [
        Rule::AreaAdded,
        Rule::AreaRemoved,
        Rule::OperationAdded,
        Rule::OperationRemoved,
        Rule::VersionAdded,
        Rule::VersionRemoved,
        Rule::PreviewGraduated,
        Rule::PlainRetargeted,
        Rule::ParameterAdded,
        Rule::RequiredParameterAdded,
        Rule::ParameterRemoved,
        Rule::ParameterRequiredness,
        Rule::ParameterType,
        Rule::BodyChanged,
        Rule::ResponseChanged,
        Rule::ResponseKept,
        Rule::Sunset,
        Rule::Deprecated,
        Rule::RemovedUpstream,
        Rule::ModelAdded,
        Rule::ModelRemoved,
        Rule::ModelKind,
        Rule::FieldAdded,
        Rule::FieldRemoved,
        Rule::FieldType,
        Rule::FieldWire,
        Rule::TypeKept,
        Rule::EnumValueAdded,
        Rule::EnumValueRemoved,
        Rule::MemberAdded,
        Rule::MemberRemoved,
        Rule::TagValues,
        Rule::SharedEnum,
    ];

    pub fn verdict(self) -> Verdict {
        use Rule::*;
        match self {
            AreaRemoved
            | OperationRemoved
            | VersionRemoved
            | PlainRetargeted
            | RequiredParameterAdded
            | ParameterRemoved
            | ParameterRequiredness
            | ParameterType
            | BodyChanged
            | ResponseChanged
            | ModelRemoved
            | ModelKind
            | FieldRemoved
            | FieldType
            | EnumValueRemoved
            | MemberRemoved
            | SharedEnum => Verdict::Major,
            AreaAdded | OperationAdded | VersionAdded | PreviewGraduated | ParameterAdded
            | ResponseKept | Sunset | Deprecated | RemovedUpstream | ModelAdded | FieldAdded
            | EnumValueAdded | MemberAdded => Verdict::Minor,
            FieldWire | TypeKept | TagValues => Verdict::Patch,
        }
    }

    /// The rule's name in reports (`field-removed`).
    pub fn id(self) -> &'static str {
        use Rule::*;
        match self {
            AreaAdded => "area-added",
            AreaRemoved => "area-removed",
            OperationAdded => "operation-added",
            OperationRemoved => "operation-removed",
            VersionAdded => "version-added",
            VersionRemoved => "version-removed",
            PreviewGraduated => "preview-graduated",
            PlainRetargeted => "plain-retargeted",
            ParameterAdded => "parameter-added",
            RequiredParameterAdded => "required-parameter-added",
            ParameterRemoved => "parameter-removed",
            ParameterRequiredness => "parameter-requiredness",
            ParameterType => "parameter-type",
            BodyChanged => "body-changed",
            ResponseChanged => "response-changed",
            ResponseKept => "response-kept",
            Sunset => "sunset",
            Deprecated => "deprecated",
            RemovedUpstream => "removed-upstream",
            ModelAdded => "model-added",
            ModelRemoved => "model-removed",
            ModelKind => "model-kind",
            FieldAdded => "field-added",
            FieldRemoved => "field-removed",
            FieldType => "field-type",
            FieldWire => "field-wire",
            TypeKept => "type-kept",
            EnumValueAdded => "enum-value-added",
            EnumValueRemoved => "enum-value-removed",
            MemberAdded => "member-added",
            MemberRemoved => "member-removed",
            TagValues => "tag-values",
            SharedEnum => "shared-enum",
        }
    }

    /// Why the verdict is what it is, in one sentence.
    pub fn reason(self) -> &'static str {
        use Rule::*;
        match self {
            AreaAdded => "a new API area: a new module and cargo feature (in `default`)",
            AreaRemoved => "every operation of an area is gone: its module and cargo feature disappear",
            OperationAdded => "new functions and request types; nothing existing changes",
            OperationRemoved => "its functions and request types disappear",
            VersionAdded => "a new dated function and request type",
            VersionRemoved => "the dated function and request type disappear",
            PreviewGraduated => "a preview version left and a dated one arrived: preview code moves to the dated name, which is new",
            PlainRetargeted => "the plain name now builds another version's request type, whose builder and response type differ",
            ParameterAdded => "a new setter; calls that do not use it are unchanged",
            RequiredParameterAdded => "a new positional argument of the constructor: every call must change",
            ParameterRemoved => "its setter or constructor argument disappears",
            ParameterRequiredness => "a setter becomes a constructor argument or the reverse",
            ParameterType => "the setter or argument takes another type",
            BodyChanged => "the request body is another type, or became required or optional",
            ResponseChanged => "`send` returns another type",
            ResponseKept => "upstream gave a response a body where the release had none: `send` keeps returning `()`, `#[deprecated]`, and `Client::execute` returns the body; `send` returns it after a planned major (`spec/api.lock`)",
            Sunset => "the version gains `#[deprecated]` with its sunset date: a warning, not an error",
            Deprecated => "the item gains `#[deprecated]`: a warning, not an error",
            RemovedUpstream => "gone upstream, kept `#[deprecated]` until a planned major (`spec/api.lock`): a call returns `Error::Removed` without sending, a request field is never sent, a response field is never set",
            ModelAdded => "a new type",
            ModelRemoved => "the type disappears",
            ModelKind => "a struct became an enum or union, or the reverse",
            FieldAdded => "models are `#[non_exhaustive]` and built with `Default` and setters: a new field breaks no code",
            FieldRemoved => "the field (and a write model's setter) disappears",
            FieldType => "the field holds another Rust type",
            FieldWire => "only the JSON changes (wire name, or `null` versus absent): the Rust type is the same",
            TypeKept => "upstream widened a field so that its released type still serves (a response may send a plain string for an enum, or always send a value; a request may send `null` or any string): the type is kept until a planned major (`spec/api.lock`)",
            EnumValueAdded => "enums are open and `#[non_exhaustive]`: a new variant breaks no match",
            EnumValueRemoved => "the variant disappears",
            MemberAdded => "unions are `#[non_exhaustive]`: a new member breaks no match",
            MemberRemoved => "the member's variant disappears",
            TagValues => "which discriminator values choose a member changed: decoding only",
            SharedEnum => "inline enums with the same values for properties or parameters of the same name are one enum under several names (`pub type` aliases of it; `spec/api.lock` keeps its name): a name that joins one is no longer an enum (`use Name::*` and trait impls break), one that leaves or moves to another is another type than the names it shared with",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_once_with_a_distinct_id() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
