//! GraphiQL is served whole by the service: the page loads only the service's own files, so
//! it works where public CDNs are blocked. (A real browser rendering it offline is
//! `tests/browser/run.py`.)

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};

use crate::support::{Reply, TestApp};

async fn open_page(app: &TestApp) -> Reply {
    app.send(
        Request::get("/graphql")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The `src` and `href` values of the page.
fn references(page: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| {
            page.split(attribute)
                .skip(1)
                .map(|rest| rest.split('"').next().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn the_page_loads_only_the_services_own_files() {
    let app = TestApp::spawn().await;

    let page = open_page(&app).await;

    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    for scheme in ["http://", "https://", "//"] {
        assert!(!page.body.contains(scheme), "{scheme} in {}", page.body);
    }
    let references = references(&page.body);
    assert!(
        references.len() >= 4,
        "React, ReactDOM, GraphiQL and its styles: {references:?}"
    );
    for reference in &references {
        assert!(
            reference.starts_with("graphql/assets/"),
            "{reference} is not one of the service's files"
        );
    }
    let policy = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-eval"), "{policy}");
}

#[tokio::test]
async fn each_file_the_page_loads_is_served_with_its_type() {
    let app = TestApp::spawn().await;
    let page = open_page(&app).await;

    for reference in references(&page.body) {
        let reply = app.get(None, &format!("/{reference}")).await;

        assert_eq!(reply.status, StatusCode::OK, "{reference}");
        let content_type = reply.headers[header::CONTENT_TYPE].to_str().unwrap();
        let expected = if reference.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(
            content_type.starts_with(expected),
            "{reference}: {content_type}"
        );
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(reply.body.len() > 100, "{reference} is empty");
        let cache = reply.headers[header::CACHE_CONTROL].to_str().unwrap();
        if reference.contains("-18.3.1") || reference.contains("-3.9.0") {
            assert!(cache.contains("immutable"), "{reference}: {cache}");
        } else {
            assert_eq!(
                cache, "no-cache",
                "{reference}: ours changes under its name"
            );
        }
    }
}

#[tokio::test]
async fn the_files_are_not_served_while_introspection_is_off() {
    let open = TestApp::spawn().await;
    let references = references(&open_page(&open).await.body);
    let closed = TestApp::with_env(&[("KAKEHASHI_INTROSPECTION", "false")]).await;

    for reference in references {
        let reply = closed.get(None, &format!("/{reference}")).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{reference}");
    }
}

#[tokio::test]
async fn only_the_explorers_files_are_served() {
    let app = TestApp::spawn().await;
    for path in [
        "/graphql/assets/graphiql.min.js",
        "/graphql/assets/..%2FCargo.toml",
        "/graphql/assets/LICENSE",
    ] {
        let reply = app.get(None, path).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
    }
}
