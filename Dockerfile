# chartgate: one static-ish binary. Its embedded fonts cover Latin, Greek,
# Cyrillic, Arabic, Hebrew, Devanagari, Thai, common Chinese, kana, Hangul
# and monochrome emoji with nothing installed; the image adds Debian's Noto
# CJK, core and color emoji packages behind them (`fonts.dirs`) for the rest
# (every CJK character, the other scripts, emoji in color). No fontconfig is
# needed.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --bin chartgate

FROM debian:bookworm-slim
COPY --from=build /src/target/release/chartgate /usr/local/bin/chartgate
COPY config.toml /etc/chartgate/config.toml
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji \
    && rm -rf /var/lib/apt/lists/*
EXPOSE 8080
ENV CHARTGATE_SERVER__LISTEN=0.0.0.0:8080
ENV CHARTGATE_FONTS__DIRS='["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"]'
ENTRYPOINT ["chartgate", "--config", "/etc/chartgate/config.toml"]
