# chartgate: one static-ish binary; fonts are embedded, no fontconfig needed.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin chartgate

FROM debian:bookworm-slim
COPY --from=build /src/target/release/chartgate /usr/local/bin/chartgate
COPY config.toml /etc/chartgate/config.toml
EXPOSE 8080
ENV CHARTGATE_SERVER__LISTEN=0.0.0.0:8080
ENTRYPOINT ["chartgate", "--config", "/etc/chartgate/config.toml"]
