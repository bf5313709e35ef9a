# Multi-stage build: a static driftgate binary on a minimal, non-root base.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/driftgate ./cmd/driftgate

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/driftgate /usr/local/bin/driftgate
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/driftgate"]
