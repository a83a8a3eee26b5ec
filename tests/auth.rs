//! Bearer tokens: what is accepted, and what gets 401 UNAUTHENTICATED.

use axum::http::StatusCode;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use kakehashi::{
    auth::{Audience, Claims, TokenRequest},
    domain::Role,
};
use serde_json::json;

use crate::support::{TEST_SECRET, TestApp, error_code};

const VIEWER: &str = "{ viewer { authenticated subject role } }";

fn claims(exp_offset: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: "alice".into(),
        role: "PROGRAM_STAFF".into(),
        org_id: None,
        specialist_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scope: None,
        iss: "kakehashi-dev".into(),
        aud: Audience::One("kakehashi".into()),
        iat: Some(now),
        exp: now + exp_offset,
    }
}

fn hs256(claims: &impl serde::Serialize, secret: &str) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn assert_refused(app: &TestApp, token: &str) {
    let reply = app.post_graphql(Some(token), VIEWER, json!({})).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    assert_eq!(error_code(&reply.json()), "UNAUTHENTICATED");
    assert!(reply.headers.contains_key("www-authenticate"));
}

#[tokio::test]
async fn a_valid_token_makes_the_caller_known() {
    let app = TestApp::spawn().await;
    let response = app
        .gql(Some(&hs256(&claims(600), TEST_SECRET)), VIEWER, json!({}))
        .await;
    assert_eq!(
        response["data"]["viewer"],
        json!({ "authenticated": true, "subject": "alice", "role": "PROGRAM_STAFF" })
    );
}

#[tokio::test]
async fn no_token_means_an_anonymous_caller() {
    let app = TestApp::spawn().await;
    let response = app.gql(None, VIEWER, json!({})).await;
    assert_eq!(
        response["data"]["viewer"],
        json!({ "authenticated": false, "subject": null, "role": null })
    );
}

#[tokio::test]
async fn unsigned_tokens_are_refused() {
    let app = TestApp::spawn().await;
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(600)).unwrap());
    assert_refused(&app, &format!("{header}.{payload}.")).await;
}

#[tokio::test]
async fn a_bad_signature_is_refused() {
    let app = TestApp::spawn().await;
    assert_refused(
        &app,
        &hs256(&claims(600), "another-secret-another-secret-0123456"),
    )
    .await;
}

#[tokio::test]
async fn the_wrong_issuer_or_audience_is_refused() {
    let app = TestApp::spawn().await;
    assert_refused(
        &app,
        &hs256(
            &Claims {
                iss: "someone-else".into(),
                ..claims(600)
            },
            TEST_SECRET,
        ),
    )
    .await;
    assert_refused(
        &app,
        &hs256(
            &Claims {
                aud: Audience::One("another-api".into()),
                ..claims(600)
            },
            TEST_SECRET,
        ),
    )
    .await;
    assert_refused(
        &app,
        &hs256(
            &Claims {
                aud: Audience::Many(vec!["another-api".into(), "a-third".into()]),
                ..claims(600)
            },
            TEST_SECRET,
        ),
    )
    .await;
}

#[tokio::test]
async fn an_audience_list_that_names_kakehashi_is_accepted() {
    let app = TestApp::spawn().await;
    let token = hs256(
        &Claims {
            aud: Audience::Many(vec!["another-api".into(), "kakehashi".into()]),
            ..claims(600)
        },
        TEST_SECRET,
    );
    let response = app.gql(Some(&token), VIEWER, json!({})).await;
    assert_eq!(response["data"]["viewer"]["subject"], "alice", "{response}");
}

#[tokio::test]
async fn a_token_issued_in_the_future_is_refused() {
    let app = TestApp::spawn().await;
    let now = chrono::Utc::now().timestamp();
    assert_refused(
        &app,
        &hs256(
            &Claims {
                iat: Some(now + 3600),
                ..claims(7200)
            },
            TEST_SECRET,
        ),
    )
    .await;
    // Within the clock leeway is fine.
    let token = hs256(
        &Claims {
            iat: Some(now + 10),
            ..claims(600)
        },
        TEST_SECRET,
    );
    let response = app.gql(Some(&token), VIEWER, json!({})).await;
    assert_eq!(response["data"]["viewer"]["subject"], "alice", "{response}");
}

#[tokio::test]
async fn expired_tokens_are_refused_beyond_thirty_seconds_of_leeway() {
    let app = TestApp::spawn().await;
    assert_refused(&app, &hs256(&claims(-120), TEST_SECRET)).await;
    let within_leeway = app
        .gql(Some(&hs256(&claims(-10), TEST_SECRET)), VIEWER, json!({}))
        .await;
    assert_eq!(within_leeway["data"]["viewer"]["authenticated"], true);
}

#[tokio::test]
async fn tokens_missing_a_required_claim_are_refused() {
    let app = TestApp::spawn().await;
    let full = serde_json::to_value(claims(600)).unwrap();
    for missing in ["sub", "iss", "aud", "exp"] {
        let mut partial = full.clone();
        partial.as_object_mut().unwrap().remove(missing);
        assert_refused(&app, &hs256(&partial, TEST_SECRET)).await;
    }
}

#[tokio::test]
async fn unknown_roles_and_roles_without_their_ids_are_refused() {
    let app = TestApp::spawn().await;
    assert_refused(
        &app,
        &hs256(
            &Claims {
                role: "ROOT".into(),
                ..claims(600)
            },
            TEST_SECRET,
        ),
    )
    .await;
    assert_refused(
        &app,
        &hs256(
            &Claims {
                role: "SPECIALIST".into(),
                ..claims(600)
            },
            TEST_SECRET,
        ),
    )
    .await;
    assert_refused(
        &app,
        &hs256(
            &Claims {
                role: "SME_USER".into(),
                ..claims(600)
            },
            TEST_SECRET,
        ),
    )
    .await;
}

#[tokio::test]
async fn a_malformed_authorization_header_is_refused() {
    let app = TestApp::spawn().await;
    for value in ["Basic dXNlcjpwYXNz", "Bearer", "token-without-scheme"] {
        let request = axum::http::Request::post("/graphql")
            .header("content-type", "application/json")
            .header("authorization", value)
            .body(axum::body::Body::from(
                r#"{"query":"{ viewer { authenticated } }"}"#,
            ))
            .unwrap();
        assert_eq!(
            app.send(request).await.status,
            StatusCode::UNAUTHORIZED,
            "{value}"
        );
    }
}

#[tokio::test]
async fn rsa_and_ec_public_keys_verify_rs256_and_es256_tokens() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
    let cases: [(&str, Algorithm, EncodingKey); 2] = [
        (
            "rsa-public.pem",
            Algorithm::RS256,
            EncodingKey::from_rsa_pem(include_bytes!("fixtures/rsa-private.pem")).unwrap(),
        ),
        (
            "ec-public.pem",
            Algorithm::ES256,
            EncodingKey::from_ec_pem(include_bytes!("fixtures/ec-private.pem")).unwrap(),
        ),
    ];
    for (public, algorithm, private) in cases {
        let key_file = format!("{fixtures}/{public}");
        let app = TestApp::with_env(&[("KAKEHASHI_JWT_PUBLIC_KEY_FILE", &key_file)]).await;
        let token = encode(&Header::new(algorithm), &claims(600), &private).unwrap();
        let response = app.gql(Some(&token), VIEWER, json!({})).await;
        assert_eq!(
            response["data"]["viewer"]["subject"], "alice",
            "{algorithm:?}"
        );
        // A token signed with the right key but another algorithm of the family is refused.
        let other = if algorithm == Algorithm::RS256 {
            Algorithm::RS384
        } else {
            Algorithm::ES384
        };
        if let Ok(token) = encode(&Header::new(other), &claims(600), &private) {
            assert_refused(&app, &token).await;
        }
    }
}

#[test]
fn a_key_file_without_a_public_key_stops_start_up_naming_the_variable() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/README.md");
    let config = kakehashi::config::Config::from_lookup(|name| {
        (name == "KAKEHASHI_JWT_PUBLIC_KEY_FILE").then(|| path.to_owned())
    })
    .unwrap();
    let err = kakehashi::auth::TokenVerifier::from_config(&config.jwt)
        .err()
        .unwrap();
    assert_eq!(err.variable, "KAKEHASHI_JWT_PUBLIC_KEY_FILE");
}

#[tokio::test]
async fn an_eddsa_public_key_verifies_eddsa_tokens_and_only_those() {
    let key_file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/ed25519-public.pem"
    );
    let app = TestApp::with_env(&[("KAKEHASHI_JWT_PUBLIC_KEY_FILE", key_file)]).await;
    let private = include_bytes!("fixtures/ed25519-private.pem");
    let token = encode(
        &Header::new(Algorithm::EdDSA),
        &claims(600),
        &EncodingKey::from_ed_pem(private).unwrap(),
    )
    .unwrap();
    let response = app.gql(Some(&token), VIEWER, json!({})).await;
    assert_eq!(response["data"]["viewer"]["subject"], "alice");

    // The same key may not be used as an HMAC secret, nor any other algorithm slipped in.
    let only_public = TestApp::with_env(&[
        ("KAKEHASHI_JWT_PUBLIC_KEY_FILE", key_file),
        ("KAKEHASHI_JWT_HS256_SECRET", ""),
    ])
    .await;
    assert_refused(&only_public, &hs256(&claims(600), TEST_SECRET)).await;
    let pem_as_secret = hs256(
        &claims(600),
        &String::from_utf8_lossy(include_bytes!("fixtures/ed25519-public.pem")),
    );
    assert_refused(&only_public, &pem_as_secret).await;
}

#[tokio::test]
async fn minted_development_tokens_carry_their_claims() {
    let app = TestApp::spawn().await;
    let token = app.token_for(TokenRequest {
        subject: "hanako".into(),
        role: Role::Specialist,
        specialist_id: Some("000123".into()),
        org_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scope: Some("profile:write registry:read".into()),
        ttl_seconds: 60,
    });
    let response = app
        .gql(
            Some(&token),
            "{ viewer { role subject scopes } }",
            json!({}),
        )
        .await;
    assert_eq!(
        response["data"]["viewer"],
        json!({ "role": "SPECIALIST", "subject": "hanako", "scopes": ["profile:write", "registry:read"] })
    );
}

#[test]
fn minting_refuses_without_an_hs256_secret() {
    let config = kakehashi::config::Config::from_lookup(|_| None).unwrap();
    let request = TokenRequest {
        subject: "x".into(),
        role: Role::Admin,
        specialist_id: None,
        org_id: None,
        company_id: None,
        provider_id: None,
        client_id: None,
        scope: None,
        ttl_seconds: 60,
    };
    let err = kakehashi::auth::mint_hs256(&config.jwt, &request).unwrap_err();
    assert_eq!(err.variable, "KAKEHASHI_JWT_HS256_SECRET");
}

fn typed(typ: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = typ.map(str::to_owned);
    encode(
        &header,
        &claims(600),
        &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn only_access_tokens_are_accepted_by_their_type() {
    let app = TestApp::spawn().await;
    // A refresh token, an ID token or an untyped one of the same issuer is no credential.
    for typ in [Some("refresh+jwt"), Some("id+jwt"), Some("JOSE"), None] {
        assert_refused(&app, &typed(typ)).await;
    }
    for typ in ["at+jwt", "application/at+jwt", "JWT", "jwt"] {
        let response = app.gql(Some(&typed(Some(typ))), VIEWER, json!({})).await;
        assert_eq!(
            response["data"]["viewer"]["authenticated"], true,
            "{typ}: {response}"
        );
    }
    // Tokens minted for development say what they are.
    let minted = app.token(Role::Admin);
    let header = jsonwebtoken::decode_header(&minted).unwrap();
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
}

#[tokio::test]
async fn the_accepted_token_types_are_configurable() {
    let app = TestApp::with_env(&[("KAKEHASHI_JWT_TYPES", "at+jwt")]).await;
    assert_refused(&app, &typed(Some("JWT"))).await;
    let response = app
        .gql(Some(&typed(Some("at+jwt"))), VIEWER, json!({}))
        .await;
    assert_eq!(response["data"]["viewer"]["authenticated"], true);
}
