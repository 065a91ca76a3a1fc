#!/usr/bin/env python3
"""The real Neutron's list and write costs as its ikepolicies table grows — the peer figures beside
bench/scale_bench.py's, in the same run and with the same client.

Neutron 29 + neutron-vpnaas 29 from ../shared/tools/neutron-peer (noauth, uWSGI 2 workers, MariaDB). Seeding: one
INSERT … SELECT from MariaDB's sequence engine into `ikepolicies` (rows like scale_bench.py's: `pol-NNNNNN`, every
1000th named `dup`). Measured per size with scale_bench.py's own `measure` (sequential, a new TCP connection per
request, BENCH_N samples after warm-ups), server time = median latency − the median of `GET /` (Neutron's versions
document: no database, no policy): GET ?name=X, ?limit=10, a marker page, a sorted page, GET one, POST; the whole
list as info. Sizes default to 1k and 10k (at 100k Neutron's unpaged figures take seconds each).

  python3 bench/neutron_scale_bench.py [--sizes 1000,10000] [--out bench/out/scale-neutron.json]
Needs root; installs the peer itself (../shared/tools/neutron-peer/setup-peers.sh neutron, idempotent).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from scale_bench import N, PROJECT, free_port, measure  # noqa: E402

PEER = os.path.join(os.environ.get("VPNAAS_SHARED", os.path.join(HERE, "..", "..", "shared")), "tools", "neutron-peer")


def sql(port, text):
    r = subprocess.run(["bash", os.path.join(PEER, "neutron-peer-sql.sh"), str(port), text],
                       capture_output=True, text=True, check=True)
    return r.stdout


def seed(port, n):
    sql(port, "DELETE FROM ikepolicies")
    sql(port, f"""INSERT INTO ikepolicies (project_id, id, name, description, auth_algorithm, encryption_algorithm,
        phase1_negotiation_mode, lifetime_units, lifetime_value, ike_version, pfs)
        SELECT '{PROJECT}', UUID(), IF(seq % 1000 = 0, 'dup', CONCAT('pol-', LPAD(seq, 6, '0'))), '', 'sha256',
               'aes-256', 'main', 'seconds', 3600, 'v2', 'group14' FROM seq_0_to_{n - 1}""")
    sql(port, "ANALYZE TABLE ikepolicies")
    ids = sorted(sql(port, "SELECT id FROM ikepolicies").split()[1:])
    return ids


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "scale-neutron.json"))
    a = ap.parse_args()
    # Installs the peer (apt MariaDB + the pinned Neutron venv) when this machine does not have it yet.
    subprocess.run(["bash", os.path.join(PEER, "setup-peers.sh"), "neutron"], check=True)
    port = free_port()
    env = dict(os.environ, NEUTRON_PEER_AUTH="noauth")
    r = subprocess.run(["bash", os.path.join(PEER, "neutron-peer.sh"), str(port)], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("neutron-peer.sh failed: " + r.stderr[-2000:])
    results = {"n": N, "peer": "neutron 29.0.0 + neutron-vpnaas 29.0.0, uWSGI 2 workers, MariaDB, noauth", "sizes": {}}
    try:
        base = "/v2.0/vpn/ikepolicies"
        for size in (int(s) for s in a.sizes.split(",")):
            ids = seed(port, size)
            med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
            floor = med(measure(port, "/"))
            figures = {
                "name_filter": med(measure(port, f"{base}?name=pol-{size // 2 + 1:06d}")),
                "limit_10": med(measure(port, f"{base}?limit=10")),
                "marker_page": med(measure(port, f"{base}?limit=10&marker={ids[len(ids) // 2]}")),
                "sorted_page": med(measure(port, f"{base}?sort_key=name&sort_dir=desc&limit=10")),
                "get_one": med(measure(port, f"{base}/{ids[len(ids) // 3]}")),
                "post": med(measure(port, base, "POST", {"ikepolicy": {"name": "bench", "auth_algorithm": "sha256"}}, 201)),
                "full_list": med(measure(port, base, n=5)),
            }
            server = {k: round(v - floor, 3) for k, v in figures.items()}
            results["sizes"][size] = {"floor_ms": round(floor, 3), "server_ms": server}
            print(f"  neutron {size:>6} rows: " + ", ".join(f"{k} {v} ms" for k, v in server.items()), flush=True)
    finally:
        subprocess.run(["bash", os.path.join(PEER, "neutron-peer-stop.sh"), str(port)], env=env, capture_output=True)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
