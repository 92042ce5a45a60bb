#!/usr/bin/env bash
# The Docker image, proved end to end: lint the Dockerfile, build it unchanged, run it with a
# published port, wait for `healthy`, and check the page, Plotly.js, the API and /docs through
# that port, and that the container does not run as root. Then docker-compose.yml: Redis and
# the app's workers behind one port, a session stepped through new connections (so through
# both workers). Starts its own dockerd (stopped by its pid at the end) and, where
# python:3.11-slim or redis:7-bookworm cannot be pulled (no registry here), makes a local
# stand-in under that tag from Debian packages. Run by `make docker-test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
IMAGE=boundary-lab:ci
NAME=boundary-lab-ci
PORT=${PORT:-18080}
COMPOSE_PORT=${COMPOSE_PORT:-18081}
COMPOSE="docker-compose -p boundary-lab-ci"

need() { command -v "$1" >/dev/null || { $SUDO apt-get update -q && $SUDO env \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null; }; }
need dockerd docker.io
need mmdebstrap mmdebstrap
need docker-compose docker-compose

echo "== hadolint"
.venv/bin/hadolint --failure-threshold warning Dockerfile

DOCKERD_PID=
if ! docker info >/dev/null 2>&1; then
  $SUDO dockerd >/tmp/boundary-dockerd.log 2>&1 &
  DOCKERD_PID=$!
fi
cleanup() {
  docker rm -f "$NAME" >/dev/null 2>&1 || true
  $COMPOSE down -v >/dev/null 2>&1 || true
  if [ -n "$DOCKERD_PID" ]; then $SUDO kill "$DOCKERD_PID"; wait "$DOCKERD_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT
for _ in $(seq 1 30); do docker info >/dev/null 2>&1 && break; sleep 1; done

if ! docker image inspect python:3.11-slim >/dev/null 2>&1 \
   && ! timeout 20 docker pull -q python:3.11-slim >/dev/null 2>&1; then
  echo "== making a local python:3.11-slim stand-in (no registry reachable)"
  base=$(mktemp -d)/base.tar
  $SUDO mmdebstrap --quiet --variant=apt \
    --include=python3,python3-pip,python3-venv,ca-certificates,passwd \
    --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED; ln -sf /usr/bin/python3 "$1"/usr/local/bin/python; ln -sf /usr/bin/pip3 "$1"/usr/local/bin/pip; cp /etc/ssl/certs/ca-certificates.crt "$1"/etc/ssl/certs/ca-certificates.crt' \
    bookworm "$base"
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' "$base" python:3.11-slim >/dev/null
  rm -f "$base"
fi

echo "== build"
docker build -q --network host -t "$IMAGE" . >/dev/null
docker rm -f "$NAME" >/dev/null 2>&1 || true
docker run -d --name "$NAME" -p "127.0.0.1:$PORT:8000" "$IMAGE" >/dev/null

echo "== wait for healthy"
status=
for _ in $(seq 1 60); do
  status=$(docker inspect --format '{{.State.Health.Status}}' "$NAME")
  [ "$status" = healthy ] && break
  sleep 1
done
[ "$status" = healthy ] || { docker logs "$NAME"; echo "container is $status"; exit 1; }

echo "== checks through the published port"
url="http://127.0.0.1:$PORT"
fail() { echo "FAILED: $1"; docker logs "$NAME" | tail -20; echo "0 passed, 1 failed"; exit 1; }
expect() {  # expect NAME TEXT curl-args...: the body must contain TEXT
  local name=$1 text=$2 body
  shift 2
  body=$(curl -fsS "$@") || fail "$name: request failed"
  grep -qF -- "$text" <<<"$body" || fail "$name: no '$text' in the answer"
  echo "  $name"
}
expect "page" "Boundary Lab" "$url/"
expect "plotly.js" "plotly" "$url/vendor/plotly.min.js"
expect "a short training request" '"steps_run":20' -X POST "$url/api/train" \
  -H 'content-type: application/json' -d '{"steps": 20, "grid": false}'
expect "/docs" "swagger-ui" "$url/docs"
expect "/openapi.json" '"/api/sessions"' "$url/openapi.json"
uid=$(docker exec "$NAME" id -u)
[ "$uid" != 0 ] || fail "the container runs as root"
echo "  runs as uid $uid, not root"

if ! docker image inspect redis:7-bookworm >/dev/null 2>&1 \
   && ! timeout 20 docker pull -q redis:7-bookworm >/dev/null 2>&1; then
  echo "== making a local redis:7-bookworm stand-in (no registry reachable)"
  base=$(mktemp -d)/redis.tar
  $SUDO mmdebstrap --quiet --variant=apt --include=redis-server,redis-tools bookworm "$base"
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["redis-server"]' "$base" redis:7-bookworm >/dev/null
  rm -f "$base"
fi

echo "== compose: Redis and ${WEB_CONCURRENCY:-2} workers behind one port"
docker tag "$IMAGE" boundary-lab
BOUNDARY_PORT=$COMPOSE_PORT $COMPOSE up -d --no-build >/dev/null 2>&1 \
  || { $COMPOSE logs; fail "docker-compose up"; }
app=$($COMPOSE ps -q app)
for _ in $(seq 1 60); do
  status=$(docker inspect --format '{{.State.Health.Status}}' "$app")
  [ "$status" = healthy ] && break
  sleep 1
done
[ "$status" = healthy ] || { $COMPOSE logs; fail "the compose app is $status"; }
url="http://127.0.0.1:$COMPOSE_PORT"
expect "health: the store is Redis" '"store":"redis"' "$url/api/health"
id=$(curl -fsS -X POST "$url/api/sessions" -H 'content-type: application/json' -d '{}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') || fail "create a session"
for _ in $(seq 1 20); do  # a new connection each time: the kernel spreads them over the workers
  curl -fsS -X POST "$url/api/sessions/$id/step" -H 'content-type: application/json' \
    -d '{"steps": 3, "grid": false}' >/dev/null || fail "step through the port"
done
expect "20 steps of 3 through any worker" '"step":60' "$url/api/sessions/$id"
workers=$(docker top "$app" -o pid,args | grep -c 'multiprocessing.spawn import spawn_main' || true)
[ "$workers" -ge 2 ] || fail "expected 2 worker processes, found $workers"
echo "  $workers worker processes"
$COMPOSE down -v >/dev/null 2>&1

size=$(docker image inspect --format '{{.Size}}' "$IMAGE")
echo "== docker smoke: passed in $(( $(date +%s) - started )) s; image $(( size / 1000000 )) MB"
echo "1 passed, 0 failed"
