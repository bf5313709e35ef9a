# Multi-stage build: a static driftgate binary on a minimal base.
#
# As a Docker action (uses: docker://ghcr.io/driftgate/driftgate:v1 with
# args: action), GitHub runs the container as root so that it can write the
# reports into the mounted workspace (owned by the runner's user), so the
# image runs as root by default; elsewhere run it as any user, e.g.
# docker run --user 65532 -v "$PWD:/work" -w /work ghcr.io/driftgate/driftgate check ...
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/driftgate ./cmd/driftgate

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/driftgate /usr/local/bin/driftgate
ENTRYPOINT ["/usr/local/bin/driftgate"]
