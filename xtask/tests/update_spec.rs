//! `cargo xtask update-spec --from URL` against a loopback HTTP server, on a scratch
//! checkout (`$ATLAS_ADMIN_WORKSPACE`) whose pinned document is the evolution fixture's
//! old one: the new document is fetched, pinned, generated and written to the changelog.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::{fixture, read, scratch_checkout, update_spec};

/// Serve one request: `status` with `body`, on a loopback port; the URL of `/v2.yaml`.
fn serve_once(status: &'static str, body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(socket.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(head.as_bytes()).unwrap();
        socket.write_all(&body).unwrap();
    });
    format!("http://{address}/v2.yaml")
}

#[test]
fn a_document_from_a_url_is_pinned_generated_and_written_to_the_changelog() {
    let main = scratch_checkout("update_spec_url");
    let shared = main.join("../shared/spec");
    let new = fixture("new.yaml");
    let url = serve_once("200 OK", new.clone());
    let output = update_spec(&main, &url, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("proposed release: major"), "{stdout}");

    assert_eq!(std::fs::read(shared.join("v2.yaml")).unwrap(), new);
    assert_eq!(
        std::fs::read(shared.join("history/v2-2024-01-01.yaml")).unwrap(),
        fixture("old.yaml"),
        "the replaced document joins the history"
    );
    let pin = read(main.join("spec/PIN"));
    let sha = atlas_admin_codegen::inputs::sha256_hex(&new);
    assert!(pin.contains(&format!("source = {url}\n")), "{pin}");
    assert!(pin.contains("date = 2025-01-01\n"), "{pin}");
    assert!(pin.contains(&format!("sha256 = {sha}\n")), "{pin}");

    let widgets = read(main.join(common::WIDGETS));
    assert!(
        widgets.contains("pub fn get_widget("),
        "regenerated from the new document"
    );

    let changelog = read(main.join("generated/CHANGELOG.md"));
    let unreleased = changelog.find("## [Unreleased]").unwrap();
    let entry = changelog
        .find("### Upstream document of 2025-01-01")
        .unwrap();
    let released = changelog.find("## [0.1.0]").unwrap();
    assert!(unreleased < entry && entry < released, "{changelog}");
    assert!(changelog.contains("- the first release"), "{changelog}");
    // What needs action leads, by area, each item linked to its page.
    let action = changelog.find("#### Needs action").unwrap();
    let added = changelog.find("#### Added and changed").unwrap();
    assert!(entry < action && action < added, "{changelog}");
    let needs_action = &changelog[action..added];
    assert!(
        needs_action.contains("widgets:\n\n- **breaking**: [`apis::widgets::list_widgets`]"),
        "breaking first: {changelog}"
    );
    assert!(
        needs_action.contains(
            "- [`apis::widgets::delete_widget`](https://docs.rs/atlas-admin/latest/atlas_admin/apis/widgets/fn.delete_widget.html): \
             removed upstream in the 2025-01-01 document"
        ),
        "{changelog}"
    );
    assert!(
        changelog.contains(
            "- [`models::Widget.legacy_code`](https://docs.rs/atlas-admin/latest/atlas_admin/models/struct.Widget.html#structfield.legacy_code): \
             removed upstream in the 2025-01-01 document; kept until the next major release (removed-upstream)"
        ),
        "{changelog}"
    );
    let lock = read(main.join("spec/api.lock"));
    assert!(lock.contains(&format!("\"sha256\": \"{sha}\"")), "{lock}");
    assert!(lock.contains("\"fn_name\": \"delete_widget\""), "{lock}");
}

#[test]
fn a_failed_download_changes_nothing() {
    let main = scratch_checkout("update_spec_404");
    let pin_before = read(main.join("spec/PIN"));
    let url = serve_once("404 Not Found", b"no such document".to_vec());
    let output = update_spec(&main, &url, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains(&url), "the error names the URL: {stderr}");
    assert_eq!(read(main.join("spec/PIN")), pin_before);
    assert_eq!(
        std::fs::read(main.join("../shared/spec/v2.yaml")).unwrap(),
        fixture("old.yaml")
    );
}
