//! GraphiQL, served whole by the service: the page at `GET /graphql` (for a browser, while
//! introspection is on) and its scripts and styles under `/graphql/assets/<file>`.
//!
//! The assets are a pinned build vendored in `api/assets/graphiql/` (versions, licences and
//! how to refresh them in its README) and compiled into the binary, so the explorer works
//! where public CDNs are blocked and `cargo run` needs nothing at run time. The page's
//! Content-Security-Policy allows only what the service itself serves.

use axum::{
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::AppHttpState;

/// Where the assets are served, relative to the page (`/graphql`).
pub const ASSETS_PATH: &str = "graphql/assets";

/// What the page may load: scripts, styles and data from the service only, and the fonts
/// and icons GraphiQL's stylesheet embeds as `data:` URLs. No inline script and no `eval`
/// (the page's own script is a file, `explorer.js`). Inline styles are allowed because
/// GraphiQL's dialogs (settings, shortcuts) lock the page's scroll with a `<style>` element
/// they add; a style cannot run code.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// One file the page loads.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    /// Vendored files carry their version in their name and never change under it.
    immutable: bool,
    bytes: &'static [u8],
}

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file under `/graphql/assets/`.
const ASSETS: [Asset; 5] = [
    Asset {
        name: "react-18.3.1.production.min.js",
        content_type: JAVASCRIPT,
        immutable: true,
        bytes: include_bytes!("../../assets/graphiql/react-18.3.1/react.production.min.js"),
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        content_type: JAVASCRIPT,
        immutable: true,
        bytes: include_bytes!("../../assets/graphiql/react-dom-18.3.1/react-dom.production.min.js"),
    },
    Asset {
        name: "graphiql-3.9.0.min.js",
        content_type: JAVASCRIPT,
        immutable: true,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.9.0/graphiql.min.js"),
    },
    Asset {
        name: "graphiql-3.9.0.min.css",
        content_type: CSS,
        immutable: true,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.9.0/graphiql.min.css"),
    },
    // Ours: it changes with the service under the same name, so browsers revalidate it.
    Asset {
        name: "explorer.js",
        content_type: JAVASCRIPT,
        immutable: false,
        bytes: include_bytes!("../../assets/graphiql/explorer.js"),
    },
];

/// The names of the files under `/graphql/assets/`, in the order the page loads them.
pub fn asset_names() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|asset| asset.name)
}

/// The explorer's page. Its URLs are relative, so it works behind a proxy that serves the
/// API under a path of its own.
pub fn page() -> Response {
    let mut head = String::new();
    for asset in &ASSETS {
        if asset.content_type == CSS {
            head.push_str(&format!(
                "    <link rel=\"stylesheet\" href=\"{ASSETS_PATH}/{}\">\n",
                asset.name
            ));
        }
    }
    let mut scripts = String::new();
    for asset in &ASSETS {
        if asset.content_type == JAVASCRIPT {
            scripts.push_str(&format!(
                "    <script src=\"{ASSETS_PATH}/{}\"></script>\n",
                asset.name
            ));
        }
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n    \
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n    \
         <title>Kakehashi GraphiQL</title>\n{head}  </head>\n  <body>\n    \
         <div id=\"graphiql\">Loading GraphiQL…</div>\n    \
         <noscript>GraphiQL needs JavaScript; without it, POST queries to this URL.</noscript>\n\
         {scripts}  </body>\n</html>\n"
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        html,
    )
        .into_response()
}

/// `GET /graphql/assets/<file>`: one of the explorer's files, while introspection is on
/// (like the page); 404 otherwise and for any other name.
pub async fn asset(State(state): State<AppHttpState>, Path(file): Path<String>) -> Response {
    let found = ASSETS.iter().find(|asset| asset.name == file);
    let Some(asset) = found.filter(|_| state.introspection) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        asset.bytes,
    )
        .into_response()
}
