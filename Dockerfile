# Switchyard container image: `docker build -t switchyard .` at the repository root.
# Two stages so the image carries the binary and its runtime libraries only, not the compiler,
# the Boost headers and CMake.

# ---------------------------------------------------------------------------------------------
# Build stage: the Makefile's DEBIAN_PACKAGES minus the test, benchmark and fuzzing tools
# (GoogleTest, Google Benchmark, wrk, nginx, redis-server, clang), which the binary does not need.
FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ cmake make pkg-config \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev \
      libyaml-cpp-dev libre2-dev libcli11-dev libhiredis-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# .dockerignore keeps build*/ directories, node_modules and .git out of the context.
COPY . .
# Parallel compile jobs. The asio/Beast translation units take most of a GB of RAM each at -O3,
# so the default stays low; raise it with `--build-arg JOBS=8` on a bigger builder.
ARG JOBS=2
# Only the `switchyard` target, no tests. -Werror stays a developer check (`make test`, which
# builds RelWithDebInfo): at -O3 GCC 12 reports false positives inside libstdc++ (-Wrestrict in
# std::string's operator+, GCC bug 105329) that would otherwise fail this build.
RUN cmake -S . -B build -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=Release -DSWITCHYARD_WERROR=OFF \
 && cmake --build build -j "${JOBS}" --target switchyard \
 && strip build/switchyard

# ---------------------------------------------------------------------------------------------
# Runtime stage: the shared libraries `ldd switchyard` lists, by Debian package (`dpkg -S`):
#   libboost_json.so.1.81.0 -> libboost-json1.81.0    libboost_url.so.1.81.0 -> libboost-url1.81.0
#   libssl.so.3, libcrypto.so.3 -> libssl3            libyaml-cpp.so.0.7 -> libyaml-cpp0.7
#   libre2.so.9 -> libre2-9                           libhiredis.so.0.14 -> libhiredis0.14 (Redis)
#   libjemalloc.so.2 -> libjemalloc2 (malloc)
#   libstdc++, libgcc_s, libc, libm -> already in debian:12-slim
# ca-certificates: TLS verification of provider endpoints.
FROM debian:12-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      libboost-json1.81.0 libboost-url1.81.0 libssl3 libyaml-cpp0.7 libre2-9 \
      libhiredis0.14 libjemalloc2 \
 && rm -rf /var/lib/apt/lists/*

COPY --from=build /src/build/switchyard /usr/local/bin/switchyard
# The example configs, for a try-out against the embedded mock (see README.md).
COPY examples/ /usr/share/switchyard/examples/

# Fail the image build, not the first container start, if a library the binary links is missing
# from the list above.
RUN ldd /usr/local/bin/switchyard > /tmp/ldd.txt \
 && ! grep 'not found' /tmp/ldd.txt \
 && rm /tmp/ldd.txt \
 && switchyard --help > /dev/null

# A gateway holds provider keys and parses untrusted input: it runs without root. The numeric
# USER lets Kubernetes' runAsNonRoot verify that without resolving a name.
RUN groupadd --system --gid 10001 switchyard \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin switchyard
USER 10001

EXPOSE 4000
ENTRYPOINT ["switchyard"]
# Mount the config at /etc/switchyard/config.yaml; 0.0.0.0 because the container's loopback is
# not reachable from outside it (the binary's own default host is 127.0.0.1).
CMD ["serve", "--config", "/etc/switchyard/config.yaml", "--host", "0.0.0.0", "--port", "4000"]
