"""The ``pricewar`` command line.

Exit codes, the same in every command (``pricewar.errors``; mapped once, in ``main``): 0 ok;
1 bad data (every problem as ``file:row: column: value — reason``) or a report failed;
2 a request that cannot be served (unknown model or report, no price that day, no such
snapshot, bad parameters); 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys

from pricewar.errors import PricewarError, RequestError, UsageError, ValidationError

__all__ = ["main", "build_parser"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, default=str))


def cmd_price(args) -> int:
    from pricewar.data import catalog

    cat = catalog.load(args.snapshot)
    price = cat.price_at(args.model, args.at, host=args.host)
    if args.json:
        _print_json(price)
    else:
        cached = price["cached_input_usd_per_mtok"]
        print(f"{price['model_id']} at {price['host']} on {price['date']}: "
              f"input ${price['input_usd_per_mtok']:g}, output ${price['output_usd_per_mtok']:g}"
              + (f", cached input ${cached:g}" if cached is not None else "")
              + f" per 1M tokens\nsource: {price['source']} {price['source_url']}")
    return 0


def cmd_models(args) -> int:
    from pricewar.data import catalog

    cat = catalog.load(args.snapshot)
    # a moving API name shows the version it served that day, with that version's release and openness
    serving = cat.serving(args.at)
    serves = cat.models["model_id"].map(lambda model_id: serving.get(model_id, model_id))
    version = cat.models.set_index("model_id").loc[serves, ["release_date", "open_weights", "reasoning"]]
    models = cat.models.assign(serves=serves.to_numpy(), **{c: version[c].to_numpy() for c in version.columns})
    if args.open_weights:
        models = models[models["open_weights"].fillna(False)]
    elif args.closed:
        models = models[~models["open_weights"].fillna(True)]
    if args.at:
        models = models[models["release_date"].notna() & (models["release_date"] <= str(args.at))]
    if args.creator:
        models = models[models["creator"] == args.creator]
    columns = ["model_id", "serves", "name", "creator", "release_date", "open_weights", "reasoning", "context_window"]
    view = models[columns].sort_values(["release_date", "model_id"], na_position="last")
    if args.json:
        _print_json([{k: (None if _isna(v) else (v.date().isoformat() if hasattr(v, "date") else v))
                      for k, v in row.items()} for row in view.to_dict("records")])
    else:
        printable = view.assign(release_date=view["release_date"].dt.strftime("%Y-%m-%d").fillna(""))
        print(printable.to_string(index=False))
        print(f"\n{len(view)} models (snapshot {cat.snapshot_id})")
    return 0


def _isna(value) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (list, dict)) and pd.isna(value))


def cmd_refresh(args) -> int:
    from pricewar.data import refresh, snapshot

    args.not_done = "no snapshot written"
    folder = refresh.refresh(args.date, force=args.force, allow_removals=args.allow_removals)
    manifest = snapshot.read_manifest(folder)
    print(f"wrote {folder}")
    for name, info in manifest["files"].items():
        print(f"  {name}: {info['rows']} rows" if "rows" in info else f"  {name}: copied from {info['copied_from']}")
    removed = manifest.get("removed_curated_rows", [])
    if removed:
        print(f"  dropped {len(removed)} curated row(s) of the snapshot before: {'; '.join(removed)}")
    return 0


def cmd_update(args) -> int:
    from pricewar.data import update

    args.not_done = "reports keep using the last good snapshot"
    return update.update(args.date, dry_run=args.dry_run)


def cmd_validate(args) -> int:
    from pricewar.data import catalog, coverage

    problems = _curated_problems()
    try:
        cat = catalog.load(args.snapshot)  # raises ValidationError listing every problem
    except ValidationError as exc:
        raise ValidationError(problems + exc.problems) from None
    if problems:
        raise ValidationError(problems)
    report = {"snapshot": cat.snapshot_id, "ok": True}
    if args.summary:
        report["summary"] = coverage.catalog_summary(cat)
    if args.conflicts:
        report["conflicts"] = coverage.conflict_records(cat)
    if args.json:
        _print_json(report)
        return 0
    print(f"snapshot {cat.snapshot_id}: valid ({len(cat.models)} models, {len(cat.prices)} price intervals, "
          f"{len(cat.scores)} scores, {len(cat.aliases)} aliases)")
    if args.summary:
        print(coverage.format_summary(report["summary"]))
    if args.conflicts:
        print(coverage.format_conflicts(cat))
    return 0


def _curated_problems() -> list:
    """Problems of the curated files (the next refresh's input), checked for today: a bad edit is
    found before a refresh. When the folder holds any curated file, it must hold all of them."""
    from pricewar.data import refresh
    from pricewar.data.paths import curated_dir

    folder = curated_dir()
    whole = folder.is_dir() and any(folder.glob("*.csv"))
    return refresh.read_curated(folder, dt.date.today(), whole=whole)[2]


def cmd_coverage(args) -> int:
    from pricewar.data import catalog, coverage

    cat = catalog.load(args.snapshot)
    metric = None if args.metric == "any" else args.metric
    table = coverage.score_coverage(cat, metric, since=args.since, until=args.until and str(args.until))
    scored = int(table["score"].notna().sum())
    by_metric = {m: int(n) for m, n in table["metric"].value_counts().items()}
    if args.json:
        _print_json({"snapshot": cat.snapshot_id, "metric": args.metric, "models": len(table), "scored": scored,
                     "scored_by_metric": by_metric,
                     "unscored": table[table["score"].isna()].assign(
                         release_date=table["release_date"].dt.strftime("%Y-%m-%d"))[
                         ["model_id", "creator", "release_date"]].to_dict("records")})
        return 0
    share = 100 * scored / len(table) if len(table) else 0.0
    which = (f"a score in a declared metric ({', '.join(f'{m} {n}' for m, n in by_metric.items())})"
             if metric is None else f"a {metric} score")
    print(f"{scored} of {len(table)} text models released since {args.since} by the largest creators, priced by "
          f"their creator, have {which} ({share:.0f}%; snapshot {cat.snapshot_id})")
    for creator, part in table.groupby("creator"):
        missing = part[part["score"].isna()]
        print(f"  {creator}: {part['score'].notna().sum()} of {len(part)} scored"
              + (f"; no score: {', '.join(missing['model_id'])}" if len(missing) else ""))
    return 0


def cmd_run(args) -> int:
    from pathlib import Path

    from pricewar.report import runner

    args.not_done = "no run folder was written; reports/latest is unchanged"
    return runner.run(args.names, manifest=Path(args.manifest), overrides=runner.parse_overrides(args.param),
                      out=Path(args.out), jobs=args.jobs, quiet=args.quiet, keep=args.keep,
                      publish=True if args.publish else None)


def cmd_usage_synth(args) -> int:
    from pricewar.analysis import usage

    if args.rows < 1:
        raise RequestError("--rows must be at least 1")
    path = usage.write_log(usage.synth_log(args.rows, seed=args.seed), args.out)
    print(f"wrote {args.rows} synthetic requests to {path}")
    return 0


def _read_mix(path: str) -> dict:
    import yaml

    try:
        mix = yaml.safe_load(open(path))
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: cannot read the mix: {exc}") from None
    if not isinstance(mix, dict) or not mix or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                      for v in mix.values()):
        raise UsageError(f"{path}: a mix is a mapping of model: share, e.g. 'gpt-4o-mini: 0.7'")
    bad = {model: share for model, share in mix.items() if not 0 < share <= 1}
    if bad:
        raise UsageError(f"{path}: " + "; ".join(f"{model}: {share!r} — a share is more than 0 and at most 1"
                                                 for model, share in bad.items()))
    if abs(sum(mix.values()) - 1) > 1e-6:
        raise UsageError(f"{path}: shares sum to {sum(mix.values()):g}, not 1")
    return mix


def cmd_cost(args) -> int:
    from pricewar.data import catalog
    from pricewar.analysis import usage

    cat = catalog.load(args.snapshot)
    alternatives = [a.strip() for a in args.alternatives.split(",") if a.strip()] if args.alternatives else []
    mix = _read_mix(args.mix) if args.mix else None
    priced = usage.price_usage(cat, args.usage, alternatives=alternatives, mix=mix)
    report = {
        "usage": args.usage, "snapshot": cat.snapshot_id, "rows": priced.rows,
        "actual_usd": round(priced.total_usd, 4),
        "alternatives": priced.alternatives.round(4).to_dict("records"),
        "unknown_models": priced.unknown_models.to_dict("records"),
        "unpriced": priced.unpriced.to_dict("records"),
    }
    if args.json:
        _print_json(report)
        return 0
    print(f"{priced.rows:,} requests in {args.usage}: USD {priced.total_usd:,.2f} at the list prices in force "
          f"(snapshot {cat.snapshot_id})")
    for row in report["alternatives"]:
        print(f"  on {row['alternative']}: USD {row['cost_usd']:,.2f} against USD {row['actual_same_days_usd']:,.2f} "
              f"actually spent on the same days (saves {row['savings_pct']:.1f}%)"
              + (f"; it covers the {row['share_of_spend_covered_pct']:.0f}% of the spend on days it had a price"
                 if row["share_of_spend_covered_pct"] < 99.95 else ""))
    for row in report["unknown_models"]:
        print(f"  not priced, unknown model {row['model']!r}: {row['requests']:,} requests, "
              f"{int(row['input_tokens']):,} input and {int(row['output_tokens']):,} output tokens")
    for row in report["unpriced"]:
        print(f"  not priced, no list price that day for {row['model_id']}: {row['requests']:,} requests")
    return 0


def cmd_claims(args) -> int:
    from pricewar.data import catalog
    from pricewar.analysis import claims

    cat = catalog.load(args.snapshot)
    table = claims.evaluate_register(cat, topic=args.topic)
    if args.json:
        _print_json(table.to_dict("records"))
    else:
        for row in table.itertuples():
            print(f"[{row.verdict}] {row.id} ({row.section}): {row.claim}\n    {row.evidence}")
        print(f"\n{len(table)} claims: " + ", ".join(f"{n} {v}" for v, n in table["verdict"].value_counts().items()))
    return 1 if (table["verdict"] == "error").any() else 0


def cmd_diff(args) -> int:
    from pricewar.data import catalog
    from pricewar.analysis import diff

    result = diff.diff_snapshots(catalog.load(args.old), catalog.load(args.new))
    if args.json:
        _print_json(diff.as_json(result))
        return 0
    print(f"snapshot {result['old']} → {result['new']}")
    print(f"  new models ({len(result['new_models'])}): {', '.join(result['new_models']) or 'none'}")
    print(f"  removed models ({len(result['removed_models'])}): {', '.join(result['removed_models']) or 'none'}")
    print(f"  price changes ({len(result['price_changes'])}):")
    for r in result["price_changes"].itertuples():
        print(f"    {r.model_id} @ {r.host}: {r.input_usd_per_mtok_old:g}/{r.output_usd_per_mtok_old:g} → "
              f"{r.input_usd_per_mtok_new:g}/{r.output_usd_per_mtok_new:g} ({r.pct_change:+.1f}%)")
    print(f"  tier changes ({len(result['tier_changes'])}): " + (", ".join(
        f"{r.model_id} {r.tier_old}→{r.tier_new}" for r in result["tier_changes"].itertuples()) or "none"))
    print(f"  new frontier models: {', '.join(result['new_frontier_models']) or 'none'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The ``pricewar`` parser: one sub-command per ``cmd_*`` function."""
    parser = argparse.ArgumentParser(prog="pricewar", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snapshot = argparse.ArgumentParser(add_help=False)
    snapshot.add_argument("--snapshot", default="latest", help="snapshot id (a date) or latest (default)")
    as_json = argparse.ArgumentParser(add_help=False)
    as_json.add_argument("--json", action="store_true", help="print JSON")
    _add_price(sub, [snapshot, as_json])
    _add_models(sub, [snapshot, as_json])
    _add_run(sub)
    _add_cost(sub, [snapshot, as_json])
    _add_claims(sub, [snapshot, as_json])
    _add_usage(sub)
    _add_data(sub, snapshot, as_json)
    return parser


def _add_price(sub, parents) -> None:
    price = sub.add_parser("price", parents=parents, help="the list price of a model on a day (USD per 1M tokens)")
    price.add_argument("model", help="model id or alias, e.g. gpt-4o or claude-3-5-sonnet-20240620")
    price.add_argument("--at", type=_date, help="day (YYYY-MM-DD); default: the snapshot date")
    price.add_argument("--host", help="host id (default: the creator's API, else the median of hosts)")
    price.set_defaults(func=cmd_price)


def _add_models(sub, parents) -> None:
    models = sub.add_parser("models", parents=parents, help="list models with release dates")
    group = models.add_mutually_exclusive_group()
    group.add_argument("--open-weights", action="store_true", help="only open-weights models")
    group.add_argument("--closed", action="store_true", help="only closed models")
    models.add_argument("--at", type=_date, help="only models released on or before this day (and the version each "
                        "name served then; default: the snapshot date)")
    models.add_argument("--creator", help="only this creator (e.g. openai)")
    models.set_defaults(func=cmd_models)


def _add_run(sub) -> None:
    from pricewar.data.paths import PROJECT_ROOT

    run = sub.add_parser("run", help="execute the notebooks of reports.yaml into dated HTML reports")
    run.add_argument("names", nargs="*", metavar="NAME", help="reports to run (default: all)")
    run.add_argument("--manifest", default=str(PROJECT_ROOT / "reports.yaml"))
    run.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                     help="override a parameter of the selected reports (value read as YAML); "
                          "NAME:KEY=VALUE for one report only")
    run.add_argument("--out", default=str(PROJECT_ROOT / "reports"), help="folder of the run folders")
    run.add_argument("--jobs", type=int, help="notebooks at once (default: number of CPUs)")
    run.add_argument("--quiet", action="store_true", help="no progress lines (for cron)")
    run.add_argument("--publish", action="store_true", help="make this run latest even if it runs only some "
                     "reports or has -p (by default only a full run without -p is published)")
    run.add_argument("--keep", type=int, metavar="N", help="afterwards, remove all but the N newest run folders "
                     "(never the newest, never latest)")
    run.set_defaults(func=cmd_run)


def _add_cost(sub, parents) -> None:
    cost = sub.add_parser("cost", parents=parents,
                          help="price a usage log at the list prices of its days, and reprice it")
    cost.add_argument("--usage", required=True, help="usage log (.csv or .parquet)")
    cost.add_argument("--alternatives", help="comma-separated models to reprice the same tokens on")
    cost.add_argument("--mix", help="YAML mapping of model: share (shares sum to 1)")
    cost.set_defaults(func=cmd_cost)


def _add_claims(sub, parents) -> None:
    claims = sub.add_parser("claims", parents=parents, help="the article's claims with verdicts computed from the catalog")
    claims.add_argument("--topic", help="only the claims of one topic notebook (01, 02, 03, 04)")
    claims.set_defaults(func=cmd_claims)


def _add_usage(sub) -> None:
    usage = sub.add_parser("usage", help="usage logs")
    usage_sub = usage.add_subparsers(dest="usage_command", required=True)
    synth = usage_sub.add_parser("synth", help="write a synthetic usage log for demos and tests")
    synth.add_argument("--rows", type=int, default=10_000)
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--out", required=True, help="file to write (.parquet or .csv)")
    synth.set_defaults(func=cmd_usage_synth)


def _add_data(sub, snapshot, as_json) -> None:
    data = sub.add_parser("data", help="build and check the catalog snapshots")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    refresh = data_sub.add_parser("refresh", help="build data/snapshots/<date>/ from the packages and data/curated/")
    refresh.add_argument("--date", type=_date, help="snapshot date (default: today)")
    refresh.add_argument("--force", action="store_true", help="rebuild a snapshot of the same date")
    refresh.add_argument("--allow-removals", action="store_true",
                         help="let the refresh drop more than a few curated rows of the snapshot before (intended deletions)")
    refresh.set_defaults(func=cmd_refresh)
    update = data_sub.add_parser("update", help="upgrade the data packages, refresh today's snapshot, print the diff "
                                                "(the one command that reaches the package registry)")
    update.add_argument("--date", type=_date, help="snapshot date (default: today)")
    update.add_argument("--dry-run", action="store_true", help="only say which package versions it would take")
    update.set_defaults(func=cmd_update)
    validate = data_sub.add_parser("validate", parents=[snapshot, as_json],
                                   help="check a snapshot; exit 1 listing every problem")
    validate.add_argument("--summary", action="store_true", help="print what the catalog holds")
    validate.add_argument("--conflicts", action="store_true", help="list where sources disagree")
    validate.set_defaults(func=cmd_validate)
    cov = data_sub.add_parser("coverage", parents=[snapshot, as_json],
                              help="which recent models of the largest creators have a capability score")
    cov.add_argument("--metric", default="any",
                     help="capability metric, or any: a score in any declared metric counts (default: any)")
    cov.add_argument("--since", default="2025-07-01", help="released on or after this day (default: 2025-07-01)")
    cov.add_argument("--until", type=_date, help="released on or before this day (default: the snapshot date)")
    cov.set_defaults(func=cmd_coverage)
    diff = data_sub.add_parser("diff", parents=[as_json], help="what changed between two snapshots")
    diff.add_argument("old", help="older snapshot id (a date)")
    diff.add_argument("new", help="newer snapshot id (a date, or latest)")
    diff.set_defaults(func=cmd_diff)


def main(argv: list[str] | None = None) -> int:
    """Run one command; every ``PricewarError`` becomes its exit code here, and only here."""
    args = build_parser().parse_args(argv)
    args.not_done = ""  # what a failure left undone, said after the error (a command may set it)
    try:
        return args.func(args)
    except ValidationError as exc:
        print(f"{len(exc.problems)} problem(s) in the data{_undone(args)}:\n{exc}", file=sys.stderr)
        return exc.exit_code
    except PricewarError as exc:
        print(f"error: {exc}{_undone(args)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"interrupted{_undone(args)}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (``| head``): not an error of the command
        sys.stdout = open(os.devnull, "w")
        return 0
    except OSError as exc:  # a full disk, a read-only folder, a path that is not what it should be
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"error: {exc.strerror or exc}{where}{_undone(args)}", file=sys.stderr)
        return 1


def _undone(args) -> str:
    return f"; {args.not_done}" if args.not_done else ""


if __name__ == "__main__":
    sys.exit(main())
