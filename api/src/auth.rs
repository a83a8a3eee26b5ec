//! Bearer tokens: verifying them into a [`Principal`], and minting development tokens.
//!
//! The accepted algorithms come from configuration, never from the token: an HS256 secret
//! admits HS256, a public key admits the one algorithm of its kind (RS256, ES256 or EdDSA).
//! `exp`, `iss`, `aud` and `sub` are required; clocks may differ by at most 30 seconds.
//! The `typ` header must name an access token (`at+jwt` or `JWT` by default, RFC 8725
//! §3.11 and RFC 9068): a refresh or ID token of the same issuer is not a credential here.

use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
    errors::ErrorKind,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::{
    config::{ConfigError, JwtConfig, normalise_token_type},
    domain::{Principal, Role},
};

/// Allowed clock difference between the token issuer and this service.
pub const LEEWAY_SECONDS: u64 = 30;

/// The claims Kakehashi reads from a token. Partners issuing tokens: see the README.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The registration number of the specialist the caller is (role `SPECIALIST`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialist_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// The code of the training provider the caller is (role `TRAINING_PROVIDER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<String>,
    /// The OAuth client the token was issued to (RFC 9068 §2.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Space-separated scopes: present on a system's token (see `domain::scopes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub iss: String,
    /// One audience, or several (RFC 7519 §4.1.3); ours must be among them.
    pub aud: Audience,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    pub exp: i64,
}

/// A token's `aud` claim: a string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// Why a token was refused. The message is safe to show the client.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0}")]
pub struct AuthError(pub String);

/// Verifies bearer tokens against the configured keys.
pub struct TokenVerifier {
    keys: Vec<(Algorithm, DecodingKey)>,
    issuer: String,
    audience: String,
    token_types: Vec<String>,
}

impl TokenVerifier {
    pub fn from_config(config: &JwtConfig) -> Result<Self, ConfigError> {
        let mut keys = Vec::new();
        if let Some(secret) = &config.hs256_secret {
            keys.push((
                Algorithm::HS256,
                DecodingKey::from_secret(secret.expose_secret().as_bytes()),
            ));
        }
        if let Some((path, pem)) = &config.public_key {
            let key = DecodingKey::from_rsa_pem(pem)
                .map(|k| (Algorithm::RS256, k))
                .or_else(|_| DecodingKey::from_ec_pem(pem).map(|k| (Algorithm::ES256, k)))
                .or_else(|_| DecodingKey::from_ed_pem(pem).map(|k| (Algorithm::EdDSA, k)))
                .map_err(|_| ConfigError {
                    variable: "KAKEHASHI_JWT_PUBLIC_KEY_FILE",
                    message: format!(
                        "{} holds no RSA, EC (P-256) or Ed25519 public key in PEM form",
                        path.display()
                    ),
                })?;
            keys.push(key);
        }
        Ok(Self {
            keys,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            token_types: config.token_types.clone(),
        })
    }

    /// The algorithms this verifier accepts.
    pub fn algorithms(&self) -> Vec<Algorithm> {
        self.keys.iter().map(|(alg, _)| *alg).collect()
    }

    /// Verifies `token` and reads the caller from it.
    pub fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        let refuse = |message: &str| AuthError(message.to_owned());
        let header = decode_header(token).map_err(|_| {
            refuse("the bearer token is not a well-formed JWT with a supported algorithm")
        })?;
        let typ = header.typ.as_deref().map(normalise_token_type);
        if !typ.is_some_and(|typ| self.token_types.contains(&typ)) {
            return Err(AuthError(format!(
                "the token's type (typ) must be one of {}: only access tokens are accepted",
                self.token_types.join(", ")
            )));
        }
        let Some((alg, key)) = self.keys.iter().find(|(alg, _)| *alg == header.alg) else {
            return Err(AuthError(format!(
                "tokens signed with {:?} are not accepted here",
                header.alg
            )));
        };
        let mut validation = Validation::new(*alg);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        let claims = decode::<Claims>(token, key, &validation)
            .map_err(|err| {
                AuthError(
                    match err.kind() {
                        ErrorKind::ExpiredSignature => "the token has expired",
                        ErrorKind::ImmatureSignature => "the token is not valid yet",
                        ErrorKind::InvalidSignature => "the token's signature does not verify",
                        ErrorKind::InvalidIssuer => "the token's issuer (iss) is not accepted",
                        ErrorKind::InvalidAudience => "the token's audience (aud) is not accepted",
                        ErrorKind::MissingRequiredClaim(_) => {
                            "the token lacks a required claim (exp, iss, aud and sub are required)"
                        }
                        ErrorKind::Json(_) | ErrorKind::InvalidClaimFormat(_) => {
                            "the token's claims are malformed"
                        }
                        _ => "the bearer token is not valid",
                    }
                    .to_owned(),
                )
            })?
            .claims;
        // `iat` is optional, but a token issued in the future comes from a wrong clock or
        // a forger.
        let now = jsonwebtoken::get_current_timestamp();
        if claims
            .iat
            .is_some_and(|iat| iat > 0 && iat as u64 > now + LEEWAY_SECONDS)
        {
            return Err(refuse("the token's issue time (iat) is in the future"));
        }
        principal_from(claims)
    }
}

fn principal_from(claims: Claims) -> Result<Principal, AuthError> {
    let role = Role::parse(&claims.role).ok_or_else(|| {
        AuthError(format!(
            "the token's role `{}` is not a Kakehashi role",
            claims.role
        ))
    })?;
    if claims.sub.trim().is_empty() {
        return Err(AuthError("the token's subject (sub) is empty".into()));
    }
    let needs = |present: bool, claim: &str| {
        if present {
            Ok(())
        } else {
            Err(AuthError(format!("a {role} token must carry `{claim}`")))
        }
    };
    match role {
        Role::Specialist => needs(claims.specialist_id.is_some(), "specialist_id")?,
        Role::SupportOrgStaff => needs(claims.org_id.is_some(), "org_id")?,
        Role::SmeUser => needs(claims.company_id.is_some(), "company_id")?,
        Role::TrainingProvider => needs(claims.provider_id.is_some(), "provider_id")?,
        _ => {}
    }
    Ok(Principal {
        subject: claims.sub,
        role,
        specialist_registration_number: claims.specialist_id,
        org_id: claims.org_id,
        company_id: claims.company_id,
        provider_id: claims.provider_id,
        client_id: claims.client_id.filter(|c| !c.trim().is_empty()),
        scopes: claims
            .scope
            .map(|s| s.split_whitespace().map(str::to_owned).collect()),
    })
}

/// What a minted token should say.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub subject: String,
    pub role: Role,
    pub specialist_id: Option<String>,
    pub org_id: Option<String>,
    pub company_id: Option<String>,
    pub provider_id: Option<String>,
    pub client_id: Option<String>,
    pub scope: Option<String>,
    pub ttl_seconds: i64,
}

/// Mints an HS256 token with the configured secret, issuer and audience. Refuses when no
/// HS256 secret is configured: development tokens never use a built-in key.
pub fn mint_hs256(config: &JwtConfig, request: &TokenRequest) -> Result<String, ConfigError> {
    let secret = config.hs256_secret.as_ref().ok_or_else(|| ConfigError {
        variable: "KAKEHASHI_JWT_HS256_SECRET",
        message: "must be set to mint tokens".into(),
    })?;
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: request.subject.clone(),
        role: request.role.as_str().to_owned(),
        org_id: request.org_id.clone(),
        specialist_id: request.specialist_id.clone(),
        company_id: request.company_id.clone(),
        provider_id: request.provider_id.clone(),
        client_id: request.client_id.clone(),
        scope: request.scope.clone(),
        iss: config.issuer.clone(),
        aud: Audience::One(config.audience.clone()),
        iat: Some(now),
        exp: now + request.ttl_seconds,
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".to_owned());
    encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret.expose_secret().as_bytes()),
    )
    .map_err(|err| ConfigError {
        variable: "KAKEHASHI_JWT_HS256_SECRET",
        message: format!("cannot sign with this secret: {err}"),
    })
}
