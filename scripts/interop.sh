#!/usr/bin/env bash
# make interop: round-trips a Spanwright workspace through the real Label Studio and doccano.
#
#   bash scripts/interop.sh [WORKSPACE.spanwright.json]
#
# 1. Installs Label Studio and doccano from PyPI, each in its own virtual environment in the
#    repository (.venv-labelstudio/, .venv-doccano/), at pinned versions with every dependency
#    pinned too (interop/constraints-*.txt). Skipped when already installed at those pins.
# 2. Builds the CLI (cargo build --release) and exports the workspace with
#    `spanwright convert --to labelstudio` and `--to doccano` into target/interop/.
# 3. Starts both servers on 127.0.0.1, on free ports, with every byte of their data in
#    target/interop/ (a fresh database each run; nothing in $HOME), and stops them on exit.
# 4. Runs interop/labelstudio_check.py and interop/doccano_check.py (standard-library Python):
#    import through each tool's API, read back and check every span against the text, export
#    from the tool and convert back with `spanwright convert --from ...`, compare.
# 5. Prints the table (also target/interop/table.md) and exits 1 when anything mismatched.
#
# Slow (minutes: the first install downloads about 1 GB; each run migrates two fresh databases),
# so it is not part of `make test`. Logs of the servers: target/interop/logs/.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

LABEL_STUDIO_VERSION=1.23.2
DOCCANO_VERSION=1.8.4
PYTHON=${PYTHON:-python3}          # CPython 3.11: both tools install on it (see the constraints files)
OUT=$ROOT/target/interop
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ next to interop/*.py
BIN=$ROOT/target/release/spanwright
# Throwaway credentials for servers that listen on 127.0.0.1 only and live for one run.
ADMIN_USER=interop
ADMIN_EMAIL=interop@example.com
ADMIN_PASSWORD=interop-$RANDOM$RANDOM
LS_TOKEN=interop$RANDOM$RANDOM$RANDOM

if [[ $# -ge 1 ]]; then
  WORKSPACE=$1
elif [[ -f tests/consumers/workspace.spanwright.json ]]; then
  WORKSPACE=tests/consumers/workspace.spanwright.json
else
  WORKSPACE=tests/golden/spanwright/set.spanwright.json
fi
WORKSPACE=$(realpath "$WORKSPACE")

step() { printf '\n== %s\n' "$*"; }
elapsed() { echo "$((SECONDS - $1)) s"; }

# ---------------------------------------------------------------------------------------------
# 1. The tools, each in its own venv. A marker file records what was installed and with which
#    constraints; when it matches, nothing is done.

ensure_venv() { # NAME PACKAGE VERSION
  local name=$1 package=$2 version=$3
  local venv=$ROOT/.venv-$name constraints=$ROOT/interop/constraints-$name.txt
  local want marker=$ROOT/.venv-$name/.interop-installed
  want="$package==$version $(sha256sum "$constraints" | cut -c1-16)"
  if [[ -f $marker && $(cat "$marker") == "$want" && -x $venv/bin/python ]]; then
    echo "$package $version: installed in .venv-$name"
    return
  fi
  local t=$SECONDS
  echo "$package $version: installing into .venv-$name (several minutes the first time)"
  [[ -x $venv/bin/python ]] || "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install --disable-pip-version-check --quiet "$package==$version" -c "$constraints"
  "$venv/bin/python" -m pip check
  echo "$want" >"$marker"
  echo "$package $version: installed in $(elapsed $t)"
}

step "Tools"
T0=$SECONDS
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' ||
  echo "warning: $("$PYTHON" --version) is not 3.11; interop/constraints-*.txt were resolved on CPython 3.11" >&2
ensure_venv labelstudio label-studio "$LABEL_STUDIO_VERSION"
ensure_venv doccano doccano "$DOCCANO_VERSION"

# ---------------------------------------------------------------------------------------------
# 2. The CLI and the exports. `-o` names a folder, so every file an export makes lands there
#    (Label Studio: label-studio.json and, when the export writes it, label-studio-config.xml).

step "Exports of $WORKSPACE"
cargo build --release --quiet
rm -rf "$OUT"
mkdir -p "$OUT/ls" "$OUT/doccano" "$OUT/logs"
"$BIN" convert --to labelstudio "$WORKSPACE" -o "$OUT/ls" 2>&1 | tee "$OUT/ls/export-report.txt"
"$BIN" convert --to doccano "$WORKSPACE" -o "$OUT/doccano" 2>&1 | tee "$OUT/doccano/export-report.txt"
ls "$OUT/ls" "$OUT/doccano"

# ---------------------------------------------------------------------------------------------
# 3. The servers. Each runs in its own process group (setsid), so stopping it stops its workers;
#    the trap stops exactly the groups started here.

PIDS=()
stop_servers() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && return
    sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

# Environment shared by the servers: a home inside target/interop so that nothing they write
# (Label Studio's ~/.config/label-studio/user_id, doccano's ~/doccano) lands in the real one.
SERVER_HOME=$OUT/home
mkdir -p "$SERVER_HOME"
server_env=(env "HOME=$SERVER_HOME" "XDG_CONFIG_HOME=$SERVER_HOME/.config" "XDG_DATA_HOME=$SERVER_HOME/.local/share" "XDG_CACHE_HOME=$SERVER_HOME/.cache")

step "Servers"
T1=$SECONDS
LS_PORT=$("$PYTHON" interop/common.py free-port)
DOCCANO_PORT=$("$PYTHON" interop/common.py free-port)
while [[ $DOCCANO_PORT == "$LS_PORT" ]]; do DOCCANO_PORT=$("$PYTHON" interop/common.py free-port); done

# Label Studio: `start` creates the user (an e-mail address) with a fixed legacy API token
# (--enable-legacy-api-token lets "Authorization: Token ..." in) and migrates the database in
# --data-dir. The version check against pypi.org and analytics are off.
LS_DATA=$OUT/labelstudio-data
"${server_env[@]}" LABEL_STUDIO_BASE_DATA_DIR="$LS_DATA" LATEST_VERSION_CHECK=false COLLECT_ANALYTICS=false \
  setsid "$ROOT/.venv-labelstudio/bin/label-studio" start --no-browser \
  --internal-host 127.0.0.1 --port "$LS_PORT" --data-dir "$LS_DATA" \
  --username "$ADMIN_EMAIL" --password "$ADMIN_PASSWORD" --user-token "$LS_TOKEN" --enable-legacy-api-token \
  >"$OUT/logs/labelstudio.log" 2>&1 </dev/null &
LS_PID=$!
PIDS+=("$LS_PID")

# doccano: DOCCANO_HOME holds the SQLite database (also the celery broker) and the media
# folder. `doccano init` migrates, `doccano createuser` makes the admin, `doccano task` is the
# celery worker that runs imports and exports. `doccano webserver` always binds 0.0.0.0, so the
# web server is started here the way it starts it (gunicorn, config.wsgi, in doccano's backend
# folder, production settings) but bound to 127.0.0.1.
DOCCANO_HOME=$OUT/doccano-data
DOCCANO_BACKEND=$(.venv-doccano/bin/python -c 'import importlib.util as u; print(u.find_spec("backend").submodule_search_locations[0])')
doccano_env=("${server_env[@]}" "DOCCANO_HOME=$DOCCANO_HOME" "DATABASE_URL=sqlite:///$DOCCANO_HOME/db.sqlite3"
  "MEDIA_ROOT=$DOCCANO_HOME/media" "DJANGO_SETTINGS_MODULE=config.settings.production" "STANDALONE=True" "DEBUG=False")
mkdir -p "$DOCCANO_HOME"
"${doccano_env[@]}" .venv-doccano/bin/doccano init >"$OUT/logs/doccano-init.log" 2>&1
"${doccano_env[@]}" .venv-doccano/bin/doccano createuser --username "$ADMIN_USER" --password "$ADMIN_PASSWORD" --email "$ADMIN_EMAIL" \
  >>"$OUT/logs/doccano-init.log" 2>&1
"${doccano_env[@]}" setsid .venv-doccano/bin/gunicorn --chdir "$DOCCANO_BACKEND" --bind "127.0.0.1:$DOCCANO_PORT" \
  --workers 2 --capture-output config.wsgi >"$OUT/logs/doccano-web.log" 2>&1 </dev/null &
PIDS+=("$!")
DOCCANO_WEB_PID=$!
"${doccano_env[@]}" setsid .venv-doccano/bin/doccano task --concurrency 1 >"$OUT/logs/doccano-task.log" 2>&1 </dev/null &
PIDS+=("$!")

LS_READY=1 DOCCANO_READY=1
# Label Studio's first start migrates its database: about a minute on 2 cores.
"$PYTHON" interop/common.py wait-http "http://127.0.0.1:$LS_PORT/health" 300 "$LS_PID" "$OUT/logs/labelstudio.log" || LS_READY=0
# doccano's health check includes the celery worker, so ready means imports can run.
"$PYTHON" interop/common.py wait-http "http://127.0.0.1:$DOCCANO_PORT/v1/health/" 180 "$DOCCANO_WEB_PID" "$OUT/logs/doccano-web.log" || DOCCANO_READY=0
echo "servers up in $(elapsed $T1)"

# ---------------------------------------------------------------------------------------------
# 4. The checks. Each appends its rows to results.jsonl; one failing does not stop the other.

step "Checks"
T2=$SECONDS
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
if [[ $LS_READY == 1 ]]; then
  echo "Label Studio $LABEL_STUDIO_VERSION at http://127.0.0.1:$LS_PORT"
  "$PYTHON" interop/labelstudio_check.py --url "http://127.0.0.1:$LS_PORT" --token "$LS_TOKEN" \
    --version "$LABEL_STUDIO_VERSION" --export-dir "$OUT/ls" --workspace "$WORKSPACE" --bin "$BIN" --results "$RESULTS" || true
else
  tail -n 30 "$OUT/logs/labelstudio.log" || true
fi
if [[ $DOCCANO_READY == 1 ]]; then
  echo "doccano $DOCCANO_VERSION at http://127.0.0.1:$DOCCANO_PORT"
  "$PYTHON" interop/doccano_check.py --url "http://127.0.0.1:$DOCCANO_PORT" --username "$ADMIN_USER" --password "$ADMIN_PASSWORD" \
    --version "$DOCCANO_VERSION" --export-dir "$OUT/doccano" --workspace "$WORKSPACE" --bin "$BIN" --results "$RESULTS" \
    --doccano-python "$ROOT/.venv-doccano/bin/python" || true
else
  tail -n 30 "$OUT/logs/doccano-web.log" "$OUT/logs/doccano-task.log" || true
fi
echo "checks took $(elapsed $T2); whole run $(elapsed $T0)"

# ---------------------------------------------------------------------------------------------
# 5. The table; its exit status is the script's.

step "Result"
stop_servers
trap - EXIT
"$PYTHON" interop/table.py "$RESULTS" "$OUT/table.md" --workspace "${WORKSPACE#"$ROOT"/}" \
  --expect "Label Studio" --expect doccano --problems "$OUT/ls/problems.txt" --problems "$OUT/doccano/problems.txt"
