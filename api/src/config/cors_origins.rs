//! `KAKEHASHI_CORS_ORIGINS`: the origins whose browser pages may call the API, read into
//! the exact form browsers send in `Origin`.

use super::ConfigError;

/// Which web pages on other origins may call the API from a browser
/// (`KAKEHASHI_CORS_ORIGINS`). Tokens travel in the `Authorization` header, never in
/// cookies, so no policy ever allows credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CorsOrigins {
    /// No cross-origin access (the default): browsers keep other sites' pages out.
    #[default]
    None,
    /// Any origin (`*`): development only, refused in production.
    Any,
    /// Exactly these origins, as browsers send them in `Origin`.
    Exact(Vec<Origin>),
}

/// A web origin as a browser names it: `scheme://host[:port]`, lower case, without a
/// path and without the scheme's default port (`https://app.example.jp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

impl Origin {
    /// Reads one origin; the reason it is not one otherwise.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let lower = raw.trim().to_ascii_lowercase();
        let not_one =
            |why: &str| format!("`{raw}` is not an origin such as https://app.example.jp: {why}");
        let (scheme, rest) = lower
            .split_once("://")
            .ok_or_else(|| not_one("it has no scheme"))?;
        let default_port = match scheme {
            "https" => "443",
            "http" => "80",
            _ => return Err(not_one("the scheme must be http or https")),
        };
        if rest.contains(['/', '?', '#']) {
            return Err(not_one("an origin has no path, not even a trailing `/`"));
        }
        if rest.contains('@') {
            return Err(not_one("an origin has no user name"));
        }
        let (host, port) = match rest.rsplit_once(':') {
            // `[::1]` is a host; `[::1]:8080` a host and a port.
            Some((host, port)) if !port.ends_with(']') => (host, Some(port)),
            _ => (rest, None),
        };
        let bracketed = host.starts_with('[') && host.ends_with(']') && host.len() > 2;
        let host_ok = if bracketed {
            host[1..host.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
        } else {
            !host.is_empty()
                && !host.starts_with(['.', '-'])
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
        };
        if !host_ok {
            return Err(not_one(
                "the host must be a name (in ASCII: punycode for other scripts) or an IP address",
            ));
        }
        let origin = match port {
            None => format!("{scheme}://{host}"),
            Some(port) => {
                let number = port
                    .parse::<u16>()
                    .ok()
                    .filter(|n| *n > 0 && port.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| not_one("the port must be a number from 1 to 65535"))?;
                // Browsers leave the scheme's default port out of `Origin`.
                if port == default_port {
                    format!("{scheme}://{host}")
                } else {
                    format!("{scheme}://{host}:{number}")
                }
            }
        };
        Ok(Self(origin))
    }

    /// The origin as browsers send it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl CorsOrigins {
    /// Reads `KAKEHASHI_CORS_ORIGINS`: comma-separated origins, `*` (development only)
    /// or nothing.
    pub(super) fn parse(raw: Option<&str>, production: bool) -> Result<Self, ConfigError> {
        let variable = "KAKEHASHI_CORS_ORIGINS";
        let entries: Vec<&str> = raw
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if entries.is_empty() {
            return Ok(Self::None);
        }
        if entries.contains(&"*") {
            if entries.len() > 1 {
                return Err(ConfigError::new(
                    variable,
                    "`*` allows every origin: give it alone or list origins without it",
                ));
            }
            if production {
                return Err(ConfigError::new(
                    variable,
                    "production refuses `*`: list the exact origins of the front-ends, \
                     such as https://app.example.jp",
                ));
            }
            return Ok(Self::Any);
        }
        let mut origins = Vec::with_capacity(entries.len());
        for entry in entries {
            let origin = Origin::parse(entry).map_err(|why| ConfigError::new(variable, why))?;
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        Ok(Self::Exact(origins))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(raw: &str) -> CorsOrigins {
        CorsOrigins::parse(Some(raw), false).unwrap()
    }

    fn exact(list: &[&str]) -> CorsOrigins {
        CorsOrigins::Exact(list.iter().map(|o| Origin((*o).to_owned())).collect())
    }

    #[test]
    fn origins_are_read_as_browsers_send_them() {
        assert_eq!(CorsOrigins::parse(None, false).unwrap(), CorsOrigins::None);
        assert_eq!(origins(" , "), CorsOrigins::None);
        assert_eq!(
            origins(" HTTPS://App.Example.JP , http://127.0.0.1:3000,https://app.example.jp"),
            exact(&["https://app.example.jp", "http://127.0.0.1:3000"]),
        );
        // The default port is left out, as browsers leave it out of `Origin`.
        assert_eq!(
            origins("https://a.example.jp:443,http://b.example.jp:80,https://c.example.jp:80"),
            exact(&[
                "https://a.example.jp",
                "http://b.example.jp",
                "https://c.example.jp:80"
            ]),
        );
        assert_eq!(origins("http://[::1]:8080"), exact(&["http://[::1]:8080"]));
        assert_eq!(origins("*"), CorsOrigins::Any);
    }

    #[test]
    fn malformed_origins_name_the_variable() {
        for raw in [
            "app.example.jp",
            "ftp://app.example.jp",
            "https://app.example.jp/",
            "https://app.example.jp/graphql",
            "https://app.example.jp?x=1",
            "https://user@app.example.jp",
            "https://",
            "https://app.example.jp:",
            "https://app.example.jp:0",
            "https://app.example.jp:99999",
            "https://app.example.jp:+80",
            "https://アプリ.example.jp",
            "https://app example.jp",
            "https://app.example.jp, *",
        ] {
            let err = CorsOrigins::parse(Some(raw), false).unwrap_err();
            assert_eq!(err.variable, "KAKEHASHI_CORS_ORIGINS", "{raw}");
            assert!(
                err.message.contains(raw.split(',').next().unwrap()) || raw.contains('*'),
                "{err}"
            );
        }
    }

    #[test]
    fn production_refuses_a_wildcard_but_takes_exact_origins() {
        let err = CorsOrigins::parse(Some("*"), true).unwrap_err();
        assert_eq!(err.variable, "KAKEHASHI_CORS_ORIGINS");
        assert!(err.message.contains("production refuses"), "{err}");
        assert_eq!(
            CorsOrigins::parse(Some("https://app.example.jp"), true).unwrap(),
            exact(&["https://app.example.jp"]),
        );
    }
}
