# Builds the ledger binary into a small image for compose.yaml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/ledger ./cmd/ledger

FROM alpine:3.20
RUN adduser -D -u 10001 ledger
COPY --from=build /out/ledger /usr/local/bin/ledger
USER ledger
EXPOSE 8080
ENTRYPOINT ["ledger"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
