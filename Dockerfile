# Multi-stage build of the kakehashi binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock clippy.toml ./
COPY api api
COPY entities entities
COPY migration migration
COPY tests tests
RUN cargo build --release --locked -p kakehashi

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app kakehashi \
    && mkdir -p /app/data && chown kakehashi /app/data
WORKDIR /app
COPY --from=build /src/target/release/kakehashi /usr/local/bin/kakehashi
USER kakehashi
ENV KAKEHASHI_BIND=0.0.0.0:8000 \
    KAKEHASHI_LOG_FORMAT=json
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8000/readyz || exit 1
ENTRYPOINT ["kakehashi"]
CMD ["serve"]
