#!/usr/bin/env python3
"""Turns bench/out/{api,dataplane}.json into the results table (stdout) and bench/RESULTS.md.

Usage: report.py OUTDIR RESULTS.md
Every figure comes from the JSON of the run; nothing is hard-coded except the goals of the issue.
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

out_dir, results_md = sys.argv[1], sys.argv[2]


def load(name):
    p = os.path.join(out_dir, name)
    return json.load(open(p)) if os.path.exists(p) else None


api, dp, clouds = load("api.json"), load("dataplane.json"), load("clouds.json")
meta = load("meta.json") or {}
rows = []  # (figure, ours, peer, ratio, goal, met)


def row(fig, ours, peer, ratio, goal, met):
    rows.append((fig, ours, peer, ratio, goal, "yes" if met is True else ("no" if met is False else (met or "—"))))


def f(x, unit="", nd=2):
    return "—" if x is None else f"{x:.{nd}f}{unit}"


if api:
    lo, ln = api["latency"]["ours"], api["latency"]["neutron"]
    goals = {"show": 10, "list_1": 10, "list_101": 15, "post": 20, "delete": 20}
    names = {"show": "GET one", "list_1": "GET list (1 ikepolicy)", "list_101": "GET list (101 ikepolicies)",
             "post": "POST ikepolicy", "delete": "DELETE ikepolicy"}
    row("client floor (trivial endpoint), latency ms", f(lo["floor"]["median_ms"], nd=3), f(ln["floor"]["median_ms"], nd=3),
        "—", "(subtracted below)", None)
    for k in ("show", "list_1", "list_101", "post", "delete"):
        so, sn = lo[k]["server_ms"], ln[k]["server_ms"]
        ratio = sn / so if so > 0 else float("inf")
        row(f"{names[k]}: server ms (latency − floor)", f"{so:.3f} ({lo[k]['median_ms']:.3f})",
            f"{sn:.3f} ({ln[k]['median_ms']:.3f})", f"{ratio:.1f}×", f"≥ {goals[k]}×", ratio >= goals[k])
    for k in ("show", "list_1", "list_101", "post", "delete"):
        ratio = ln[k]["median_ms"] / lo[k]["median_ms"]
        row(f"{names[k]}: raw latency ms (client included)", f"{lo[k]['median_ms']:.3f}", f"{ln[k]['median_ms']:.3f}",
            f"{ratio:.1f}×", "(info)", None)
    tp = api["throughput"]
    med = lambda xs: statistics.median([x["req_per_s"] for x in xs])
    o, n = med(tp["wrk_best"]["ours"]), med(tp["wrk_best"]["neutron"])
    row("wrk GET one req/s, best mode (ours keep-alive; Neutron closes)", f"{o:.0f}", f"{n:.0f}", f"{o / n:.1f}×", "≥ 10×", o / n >= 10)
    o, n = med(tp["wrk_close"]["ours"]), med(tp["wrk_close"]["neutron"])
    row("wrk GET one req/s, both `Connection: close`", f"{o:.0f}", f"{n:.0f}", f"{o / n:.1f}×", "(info)", None)
    o, n = med(tp["python4"]["ours"]), med(tp["python4"]["neutron"])
    row("Python 4 threads GET one req/s (new connection each)", f"{o:.0f}", f"{n:.0f}", f"{o / n:.1f}×", "(info)", None)
    wo, wn = statistics.median(api["walkthrough_s"]["ours"]), statistics.median(api["walkthrough_s"]["neutron"])
    row("13-step walkthrough, s (sum of request latencies)", f"{wo:.4f}", f"{wn:.3f}", f"{wn / wo:.1f}×", "≥ 20× (≤ 1/20)", wn / wo >= 20)
    rd = api["ready"]
    ex = statistics.median(rd["ours_existing_s"])
    fr = statistics.median(rd["ours_fresh_s"])
    nex = rd["neutron_existing"]["total_ms"] / 1000
    nfr = rd["neutron_fresh"]["total_ms"] / 1000
    ks = rd.get("keystone_fresh", {}).get("total_ms")
    nfr_id = nfr + (ks / 1000 if ks else 0)
    row("start → ready, existing data dir, s", f"{ex:.3f}", f"{nex:.2f}", f"{nex / ex:.0f}×", "≤ 0.1 s", ex <= 0.1)
    row("start → ready from nothing (keystone mode, identity bootstrap included), s" + (" (peer: Neutron + Keystone bootstrap)" if ks else ""), f"{fr:.3f}",
        f"{nfr_id:.2f}", f"{nfr_id / fr:.0f}×", "≤ 1 s", fr <= 1.0)
    ro, rn = api["rss"]["ours"]["total_kib"] / 1024, api["rss"]["neutron"]["total_kib"] / 1024
    row("RSS after the run, MiB (Neutron: uWSGI master+workers + MariaDB)", f"{ro:.1f}", f"{rn:.1f}", f"{rn / ro:.1f}×", "≥ 10× (≤ 1/10)", rn / ro >= 10)

if dp:
    c, h = dp["create_to_active_ours_s"], dp["create_to_ping_hand_s"]
    row(f"2nd side create → both ACTIVE p50, s ({c['n']} runs; peer: hand charons load → first ping)", f"{c['p50']:.3f}", f"{h['p50']:.3f}",
        f"{c['p50'] / h['p50']:.1f}× slower" if c['p50'] > h['p50'] else f"{h['p50'] / c['p50']:.1f}×", "≤ 1 s", c["p50"] <= 1.0)
    row("2nd side create → both ACTIVE p90, s", f"{c['p90']:.3f}", f"{h['p90']:.3f}",
        f"{c['p90'] / h['p90']:.1f}× slower" if c['p90'] > h['p90'] else f"{h['p90'] / c['p90']:.1f}×", "≤ 1 s", c["p90"] <= 1.0)
    m = dp.get("many")
    if m:
        row(f"{m['n']} connections on one router pair → all ACTIVE, s", f"{m['seconds']:.2f}" + ("" if m["all_active"] else f" ({m['active_left']}+{m['active_right']} of {2 * m['n']})"),
            "—", "—", "≤ 10 s", m["all_active"] and m["seconds"] <= 10)
    ip = dp["iperf3"]
    mb = lambda k: statistics.median([x["mbit_s"] for x in ip[k]]) if ip.get(k) else None
    o = mb("ours")
    if "hand_own_session" in ip:
        hs, hr = mb("hand_own_session"), mb("hand_recipe_session")
        row("iperf3 TCP probe → probe through the tunnel, Mbit/s (peer: hand-configured charons, each in its own session like ours)",
            f"{o:.0f}", f"{hs:.0f}", f"{100 * o / hs:.0f} %", "≥ 95 %", o / hs >= 0.95)
        row("iperf3 as above, peer charons started as recipe §3.5 (same session/autogroup as iperf3; see notes)",
            f"{o:.0f}", f"{hr:.0f}", f"{100 * o / hr:.0f} %", "(info; ≥ 95 % not met this way)", None)
    else:
        hh = mb("hand")
        row("iperf3 TCP probe → probe through the tunnel, Mbit/s (peer: hand-configured charons)", f"{o:.0f}", f"{hh:.0f}",
            f"{100 * o / hh:.0f} %", "≥ 95 %", o / hh >= 0.95)
    d = dp["dpd"]
    s = d["settings"]
    lim = s["interval"] + s["timeout"]
    row(f"dead-peer detection, s (dpd {s['action']}, interval {s['interval']} s, timeout {s['timeout']} s; p50, max of {d['detect_s']['n']})",
        f"{d['detect_s']['p50']:.2f} (max {d['detect_s']['max']:.2f})", f"{lim} (interval + timeout)",
        f"{d['detect_s']['p50'] / lim:.2f}", f"max ≤ interval + timeout + 1 s agent pass ({lim + 1} s)", d["detect_s"]["max"] <= lim + 1)

if clouds:
    row(f"iperf3 TCP probe → probe through the two-cloud tunnel (two vpnaasd, bridge: mappings, IPv4/IKEv2), Mbit/s, "
        f"p50 of {clouds['rounds']} × {clouds['seconds']} s (peer: hand-configured pair on the same bridges)",
        f"{clouds['ours_p50']:.0f}", f"{clouds['hand_p50']:.0f}", f"{100 * clouds['ratio_p50']:.0f} %", "≥ 95 %",
        clouds["ratio_p50"] >= 0.95)

# ------------------------------------------------------------------ print + markdown
hdr = ("figure", "ours", "peer", "ratio", "goal", "met")
table = ["| " + " | ".join(hdr) + " |", "| " + " | ".join("---" for _ in hdr) + " |"]
table += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
print("\n".join(table))

if results_md != "-":
    def cmd(*a):
        try:
            return subprocess.run(a, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    lines = [
        "# Benchmark results",
        "",
        f"Run: {meta.get('started', '?')} → {meta.get('finished', time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()))} "
        f"by `bench/run` (commit `{meta.get('commit', '?')}`).",
        f"Machine: {platform.node()}, {cmd('sh', '-c', '. /etc/os-release; echo $PRETTY_NAME')}, kernel {platform.release()}, "
        f"{os.cpu_count()} vCPU ({cpu}), {int(mem) // 1024 // 1024} GiB RAM. Other load during the run: "
        f"{meta.get('load', '?')}.",
        f"Versions: vpnaasd release build (`swift build -c release`), {meta.get('swift', '?')}; Neutron peer: neutron 29.0.0 + "
        f"neutron-vpnaas 29.0.0 under uWSGI (2 workers) + MariaDB, noauth; {meta.get('strongswan', '?')}; {meta.get('wrk', '?')}; "
        f"{meta.get('iperf3', '?')}.",
        "",
        "## Table",
        "",
    ] + table + [
        "",
        "Ratios: for times and RSS, peer ÷ ours (how many times faster/lighter we are); for throughput ours ÷ peer.",
        "",
        "## How it was measured",
        "",
        "- API latency: `neutron-bench.py`'s own `Client` (imported): sequential, one new TCP connection per request, "
        "loopback. Both servers warmed up (30 GETs, 10 POST/GET/DELETE, one walkthrough each) before measuring. "
        f"{api['rounds'] if api else '?'} alternating rounds (ours first in even rounds, Neutron first in odd ones), "
        f"each round per server: {api['n'] if api else '?'}× the floor endpoint, {api['n'] if api else '?'}× GET list with 1 "
        f"ikepolicy, {api['n'] if api else '?'}× GET one, 100× POST (→ 101 ikepolicies), {api['n'] if api else '?'}× GET list "
        "with 101, 100× DELETE. Figures are medians over all samples. Floor = median latency of a trivial endpoint "
        "(ours `GET /healthcheck`, Neutron `GET /` — the versions document, no DB and no policy); server time = median "
        "latency − floor.",
        "- vpnaasd ran as in production: `all-in-one` with the in-process agent, `--auth-strategy noauth`, SQLite (WAL). "
        "During the walkthrough the agent really builds the router namespace and starts a charon (Neutron has no agent).",
        "- Throughput: `wrk -t2 -c16 -d10s` on GET one; best mode = wrk's default keep-alive (Neutron's uWSGI answers "
        "`Connection: close` to every request, so wrk reconnects each time); also both with `-H 'Connection: close'`, and "
        "the 4-thread Python client of neutron-bench.py for 5 s. Alternating, medians of the rounds.",
        "- Walkthrough: the 13 `walkthrough` steps of neutron-fixtures.py (the seed walkthrough), sum of the request "
        "latencies, alternating rounds, then the fixtures' cleanup steps.",
        "- Start → ready: ours = spawn of `vpnaasd all-in-one` until the first `200` on `/healthcheck` (polled every 1 ms); "
        "from nothing = empty data dir (migrations, PSK key generation; no identity bootstrap exists on this branch "
        "because Keystone auth is not merged yet — see notes); existing = the same data dir again. Neutron: "
        "`neutron-peer.sh`'s own STARTUP_TOTAL_MS: from nothing = MariaDB init + alembic migrations + uWSGI until "
        "`/v2.0/extensions` answers; existing = same dir again (MariaDB start + uWSGI). Keystone from nothing "
        "(keystone-peer.sh: db_sync, fernet setup, bootstrap, seed) is added to Neutron's from-nothing figure.",
        "- RSS: VmRSS after the run; ours = the vpnaasd process (+ any child still alive); Neutron = uWSGI master + "
        "workers + mariadbd.",
        "- Data plane: vpnaasd (release) builds the topology of scripts/e2e_dataplane.py (provider network, two projects, "
        "routers, probes, IKEv2 aes-256/sha256/group14 policies, endpoint groups, IPv6 connections). Create → ACTIVE: "
        "the left connection exists; clock from the right connection's POST until GET shows ACTIVE on both (polled "
        "every 10 ms); between runs the right connection is deleted and the left one waited DOWN. Peer: the recipe of "
        "dataplane-strongswan.md §3 in namespaces `vbh-*` (charon-systemd + swanctl, both sides `trap|start`), clock "
        "from the right side's `swanctl --load-all` until the first ping reply host → host (ping every 5 ms).",
        "- iperf3: TCP, 10 s, left probe → right probe (IPv6) through our tunnel vs left host → right host through the "
        "hand-configured tunnel, same proposals (aes256-sha256-modp2048, userspace ESP over UDP 4500), alternating "
        "rounds (ours, hand with each charon in its own session, hand started as recipe §3.5 in the benchmark's "
        "session; the hand charons are restarted and the tunnel re-established before each of their rounds), "
        "medians. The other topology is idle while one is measured.",
        "- Dead-peer detection: both connections updated to the dpd settings shown; then the right router's namespace "
        "drops UDP 500/4500 (an nft table of the benchmark; charon keeps running); clock until the left connection "
        "leaves ACTIVE (GET every 50 ms); unblocked and waited ACTIVE between runs. No traffic in the tunnel meanwhile.",
        "- 100 connections: the right router gets 100 extra IPv4 subnets (10.3.i.0/24, set up before the clock); 100 "
        "connections per side (left local 10.1.0.0/24 ↔ right 10.3.i.0/24), IKEv2 over IPv4 between the same two gateway "
        "addresses, distinct `local_id`/`peer_id` per connection; clock from the first of the 200 POSTs until every "
        "one is ACTIVE (list per project every 50 ms).",
        "",
        "## Raw numbers",
        "",
    ]
    if api:
        lines += ["### API (bench/out/api.json, abridged: per-round medians, ms)", "", "```",
                  json.dumps(api["latency_per_round_median_ms"], indent=None), "```", "",
                  "Medians over all samples (ms) and server time:", "", "```", json.dumps(api["latency"], indent=1), "```", "",
                  "Throughput rounds (req/s):", "", "```",
                  json.dumps({m: {s: [(x["req_per_s"], x.get("socket_errors") or x.get("errors")) for x in v] for s, v in d.items()}
                              for m, d in api["throughput"].items()}), "```", "",
                  "Walkthrough rounds (s):", "", "```", json.dumps(api["walkthrough_s"]), "```", "",
                  "Start → ready:", "", "```", json.dumps(api["ready"], indent=1), "```", "",
                  "RSS (KiB):", "", "```", json.dumps(api["rss"], indent=1), "```", ""]
    if dp:
        lines += ["### Data plane (bench/out/dataplane.json)", "", "```", json.dumps(dp, indent=1), "```", ""]
    notes = os.path.join(os.path.dirname(os.path.abspath(results_md)), "NOTES.md")
    if os.path.exists(notes):
        lines += [open(notes).read()]
    with open(results_md, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"wrote {results_md}", file=sys.stderr)
