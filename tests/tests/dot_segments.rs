//! Over the whole crate: no path parameter can smuggle a dot segment into a request. For
//! every binding and every path parameter that accepts text, the value is `..` (then
//! `%2e%2e` and `.`), every other input is valid, and a loopback server must receive
//! nothing: the url crate would otherwise resolve `clusters/..` to the project itself.

use atlas_admin::runtime::{Error, RetryConfig};
use atlas_admin::Client;
use atlas_admin_tests::binding::Binding;
use atlas_admin_tests::registry::bindings;
use atlas_admin_tests::sample::{sample, sample_value};
use atlas_admin_tests::{load_api, shared_path};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A minimal valid body for the binding, when it takes one.
fn body_for(api: &atlas_admin_codegen::ir::Api, binding: &Binding) -> Option<Value> {
    let version = binding.spec_version(api)?;
    version.body.as_ref().map(|b| sample_value(api, &b.ty, 0))
}

/// Kinds whose string form can hold `..` (ids, numbers, dates and closed values cannot).
fn takes_text(kind: &str) -> bool {
    kind == "string" || kind.starts_with("enum:")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_binding_sends_a_dot_segment() {
    let api = load_api(&shared_path("ATLAS_OPENAPI_SPEC", "spec/v2.yaml")).unwrap();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for binding in bindings() {
        let body = body_for(&api, &binding);
        let targets = binding
            .required_params
            .iter()
            .filter(|p| p.location == "path" && takes_text(p.kind));
        for target in targets {
            for hostile in ["..", "%2e%2e", "."] {
                let params = |name: &str| -> Option<String> {
                    let param = binding.required_params.iter().find(|p| p.name == name)?;
                    Some(if name == target.name {
                        hostile.to_owned()
                    } else {
                        sample(param.kind)
                    })
                };
                let result = match (binding.call)(&client, &params, body.clone()) {
                    Ok(call) => call.await,
                    Err(e) => Err(e),
                };
                checked += 1;
                match result {
                    Err(Error::InvalidInput(m)) if m.contains(target.name) => {}
                    other => {
                        wrong.push(format!("{binding:?} {}={hostile}: {other:?}", target.name))
                    }
                }
            }
        }
    }
    let reached = server.received_requests().await.unwrap();
    let reached: Vec<String> = reached
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert!(checked > 300, "only {checked} parameter values checked");
    assert!(
        wrong.is_empty() && reached.is_empty(),
        "{} of {checked} calls were not rejected naming the parameter:\n{}\nrequests that reached the server:\n{}",
        wrong.len(),
        wrong.join("\n"),
        reached.join("\n")
    );
}
