//! Which list operations paginate: a JSON page with `results` (an array) and
//! `totalCount`, and optional integer `pageNum` and `itemsPerPage` query parameters.

use crate::ir::{
    PageField, PageParam, Pagination, Param, ParamLocation, Presence, ResponseBody, Struct,
    TypeKind, TypeRef,
};

use super::Normalizer;

impl Normalizer<'_> {
    /// A `results` + `totalCount` page with optional `pageNum`/`itemsPerPage` integer
    /// query parameters: how a list operation of this response and these parameters pages.
    pub(crate) fn pagination(
        &self,
        response: &ResponseBody,
        params: &[Param],
    ) -> Option<Pagination> {
        let ResponseBody::Json(TypeRef::Named(name)) = response else {
            return None;
        };
        let TypeKind::Struct(page) = &self.types.get(name)?.kind else {
            return None;
        };
        let results = page_field(page, "results")?;
        let TypeRef::Vec(item) = &results.ty else {
            return None;
        };
        Some(Pagination {
            item: (**item).clone(),
            total: page_field(page, "totalCount")?,
            page_num: page_param(params, "pageNum")?,
            items_per_page: page_param(params, "itemsPerPage")?,
            results,
        })
    }
}

fn page_field(page: &Struct, wire: &str) -> Option<PageField> {
    let field = page.fields.iter().find(|f| f.wire_name == wire)?;
    Some(PageField {
        name: field.name.clone(),
        ty: field.ty.clone(),
        optional: field.presence != Presence::Required,
    })
}

/// An optional integer query parameter pagination may set on every page request.
fn page_param(params: &[Param], wire: &str) -> Option<PageParam> {
    let param = params.iter().find(|p| {
        p.wire_name == wire && p.location == ParamLocation::Query && !p.is_positional()
    })?;
    matches!(param.ty, TypeRef::I32 | TypeRef::I64).then(|| PageParam {
        name: param.name.clone(),
        ty: param.ty.clone(),
    })
}
