"""The three connections (touchpoints, then performance, then data): indicator maths,
scoring against targets, stages, the order rule and next actions. No Streamlit here.

Targets, weights and class topics live in `config/connections.toml`; definitions in
`docs/connections.md`. The measuring functions are pure: small frames in (staging rows
and merchant-day mart rows for a few merchants), one long frame of weekly indicator
values out. `pipelines/mart_connections.py` feeds them from SQL and stores the result.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from models.settings import PROJECT_ROOT

CONFIG_PATH = PROJECT_ROOT / "config" / "connections.toml"
CONNECTIONS = ("touchpoints", "performance", "data")
STAGES = ("not_started", "building", "running", "leading")
NO_DATA = "no_data"
FORMATS = ("mini_program", "wecom_guide", "community")
PROGRAMME_ROLES = ("acquisition", "content", "coaching", "manager")
TRAILING_WEEKS = 4  # flows are measured over the week and the three before it
LEAD_WEEKS = 8  # the mart starts this many weeks before the first cohort starts
TIER_WEEKS = 12  # contact tiers count interactions over twelve weeks
MEDIUM_FROM, HEAVY_FROM = 1, 3  # interactions in TIER_WEEKS that make a medium / heavy contact
MIN_GUIDES_FOR_SPREAD = 5
PRIVATE_CHANNELS = ("mini_program", "wecom_guide", "community", "scan_to_buy", "livestream")

Kind = Literal["higher", "lower", "detail"]
UNITS = ("share", "money", "count", "ratio", "days")  # how an indicator's value reads


# --- configuration -----------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    key: str
    connection: str
    kind: Kind
    weight: float = 0.0
    target: float | None = None
    worst: float | None = None
    industry: Mapping[str, float] = field(default_factory=dict)
    topic: str | None = None
    unit: str = "count"

    @property
    def scored(self) -> bool:
        return self.kind != "detail"

    def target_for(self, industry: str | None) -> float | None:
        if industry and industry in self.industry:
            return float(self.industry[industry])
        return self.target


@dataclass(frozen=True)
class Config:
    indicators: dict[str, Indicator]
    thresholds: dict[str, float]  # stage name -> lowest score of that stage
    format_mix: dict[str, tuple[float, float, float]]
    # a topic as delivered -> its name per language ("en", "zh"); `[topics]` of the file
    topics: dict[str, dict[str, str]] = field(default_factory=dict)

    def topic(self, topic: str, lang: str) -> str:
        """A class topic in `lang` as the programme's configuration names it; as
        delivered when the configuration does not list it."""
        names = self.topics.get(topic, {})
        return names.get(lang) or names.get("en") or topic

    def scored(self, connection: str | None = None) -> list[Indicator]:
        return [
            i
            for i in self.indicators.values()
            if i.scored and (connection is None or i.connection == connection)
        ]

    def mix_for(self, industry: str | None) -> tuple[float, float, float]:
        return self.format_mix.get(industry or "", self.format_mix["default"])


def parse_config(text: str) -> Config:
    raw = tomllib.loads(text)
    indicators = {}
    for key, spec in raw["indicators"].items():
        if spec["connection"] not in CONNECTIONS:
            raise ValueError(f"{key}: unknown connection {spec['connection']!r}")
        indicators[key] = Indicator(
            key=key,
            connection=spec["connection"],
            kind=spec["kind"],
            weight=float(spec.get("weight", 0.0)),
            target=spec.get("target"),
            worst=spec.get("worst"),
            industry=dict(spec.get("industry", {})),
            topic=spec.get("topic"),
            unit=spec.get("unit", "count"),
        )
        if indicators[key].unit not in UNITS:
            raise ValueError(f"{key}: unknown unit {spec['unit']!r} (one of {', '.join(UNITS)})")
        if spec["kind"] != "detail" and spec.get("target") is None:
            raise ValueError(f"{key}: a scored indicator needs a target")
        if spec["kind"] == "lower" and spec.get("worst") is None:
            raise ValueError(f"{key}: a lower-is-better indicator needs `worst`")
    stages = raw["stages"]
    thresholds = {
        "building": float(stages["building"]),
        "running": float(stages["running"]),
        "leading": float(stages["leading"]),
    }
    mix = {name: (float(v[0]), float(v[1]), float(v[2])) for name, v in raw["format_mix"].items()}
    topics: dict[str, dict[str, str]] = {}
    for topic, names in raw.get("topics", {}).items():
        if not (isinstance(names, dict) and names.get("en") and names.get("zh")):
            raise ValueError(f"topic {topic!r}: name it in both languages (en and zh)")
        topics[topic] = {"en": str(names["en"]), "zh": str(names["zh"])}
    return Config(indicators=indicators, thresholds=thresholds, format_mix=mix, topics=topics)


@lru_cache(maxsize=4)
def load_config(path: Path = CONFIG_PATH) -> Config:
    return parse_config(path.read_text(encoding="utf-8"))


# --- scoring -----------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def score_value(indicator: Indicator, value: float | None, industry: str | None) -> float | None:
    """0-100 against the target: higher-is-better scales linearly to the target (capped);
    lower-is-better is 100 at or below the target and 0 at `worst`. None: no value."""
    if not indicator.scored or _missing(value):
        return None
    assert value is not None
    target = indicator.target_for(industry)
    assert target is not None
    if indicator.kind == "higher":
        return float(min(100.0, max(0.0, 100.0 * value / target))) if target > 0 else 100.0
    worst = float(indicator.worst if indicator.worst is not None else target)
    if value <= target:
        return 100.0
    if value >= worst:
        return 0.0
    return float(100.0 * (worst - value) / (worst - target))


def connection_score(
    scores: Mapping[str, float | None], config: Config, connection: str
) -> float | None:
    """Weighted mean of the connection's indicator scores that have a value."""
    total = weight = 0.0
    for indicator in config.scored(connection):
        score = scores.get(indicator.key)
        if not _missing(score):
            assert score is not None
            total += indicator.weight * score
            weight += indicator.weight
    return total / weight if weight else None


def stage_of(score: float | None, config: Config) -> str:
    if _missing(score):
        return NO_DATA
    assert score is not None
    t = config.thresholds
    if score >= t["leading"]:
        return "leading"
    if score >= t["running"]:
        return "running"
    if score >= t["building"]:
        return "building"
    return "not_started"


def is_running(stage: str) -> bool:
    return stage in ("running", "leading")


def order_rule(scores: Mapping[str, float | None], config: Config) -> dict[str, str | None]:
    """For each connection, the first earlier connection that is not yet running and that
    it scores ahead of (the method goes touchpoints -> performance -> data), or None."""
    out: dict[str, str | None] = {}
    for k, later in enumerate(CONNECTIONS):
        out[later] = None
        later_score = scores.get(later)
        if _missing(later_score):
            continue
        assert later_score is not None
        for earlier in CONNECTIONS[:k]:
            earlier_score = scores.get(earlier)
            if _missing(earlier_score):
                continue
            assert earlier_score is not None
            if not is_running(stage_of(earlier_score, config)) and later_score > earlier_score:
                out[later] = earlier
                break
    return out


def score_long(values: pd.DataFrame, industries: Mapping[str, str], config: Config) -> pd.DataFrame:
    """Indicator rows (merchant_id, week, indicator, value) with their 0-100 score (the
    vectorised `score_value`)."""
    out = values.assign(score=np.nan)
    industry = values["merchant_id"].map(industries)
    for key, rows in values.groupby("indicator").groups.items():
        spec = config.indicators.get(str(key))
        if spec is None or not spec.scored:
            continue
        value = values.loc[rows, "value"].astype(float)
        target = industry.loc[rows].map(lambda i, s=spec: s.target_for(i)).astype(float)
        if spec.kind == "higher":
            score = (100.0 * value / target).clip(0.0, 100.0)
        else:
            worst = float(spec.worst if spec.worst is not None else 0.0)
            score = (100.0 * (worst - value) / (worst - target)).clip(0.0, 100.0)
            score = score.where(~(value <= target), 100.0).where(value.notna())
        out.loc[rows, "score"] = score
    return out


def connection_rows(indicators: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per merchant and week: each connection's score, stage and order-rule flag."""
    columns = ["merchant_id", "week", "connection", "score", "stage", "ahead_of"]
    if indicators.empty:
        return pd.DataFrame(columns=columns)
    specs = config.scored()
    weight = {i.key: i.weight for i in specs}
    conn = {i.key: i.connection for i in specs}
    scored = indicators[indicators["indicator"].isin(list(weight)) & indicators["score"].notna()]
    scored = scored.assign(
        connection=scored["indicator"].map(conn),
        w=scored["indicator"].map(weight),
    )
    scored = scored.assign(ws=scored["w"] * scored["score"].astype(float))
    sums = scored.groupby(["merchant_id", "week", "connection"])[["ws", "w"]].sum()
    mean = (sums["ws"] / sums["w"].where(sums["w"] > 0)).unstack("connection")
    keys = indicators[["merchant_id", "week"]].drop_duplicates().set_index(["merchant_id", "week"])
    mean = mean.reindex(index=keys.index, columns=list(CONNECTIONS))
    rows = []
    for (mid, week), row in zip(mean.index, mean.to_dict("records"), strict=True):
        scores = {c: (None if _missing(row[c]) else float(row[c])) for c in CONNECTIONS}
        ahead = order_rule(scores, config)
        for c in CONNECTIONS:
            rows.append((mid, week, c, scores[c], stage_of(scores[c], config), ahead[c]))
    return pd.DataFrame(rows, columns=columns)


def next_actions(
    indicators: pd.DataFrame, stages: Mapping[str, str], config: Config, n: int = 3
) -> pd.DataFrame:
    """The `n` next actions of one merchant-week, from its indicator rows (indicator,
    value, score): the weakest indicators of the earliest connection not yet running
    first (the order of the method), then by weighted shortfall; one per class topic."""
    columns = ["connection", "indicator", "value", "score", "topic"]
    rank = {c: i for i, c in enumerate(CONNECTIONS)}
    candidates = []
    for row in indicators.itertuples(index=False):
        spec = config.indicators.get(str(row.indicator))
        if spec is None or not spec.scored or _missing(row.score) or float(row.score) >= 100:
            continue
        later = 0 if not is_running(stages.get(spec.connection, NO_DATA)) else 3
        shortfall = (100.0 - float(row.score)) * spec.weight
        candidates.append(
            (later + rank[spec.connection], -shortfall, spec.key, spec, row.value, row.score)
        )
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    chosen, topics = [], set()
    for _, _, key, spec, value, score in candidates:
        if spec.topic in topics:
            continue
        topics.add(spec.topic)
        chosen.append((spec.connection, key, value, score, spec.topic))
        if len(chosen) == n:
            break
    return pd.DataFrame(chosen, columns=columns)


def holding_back(
    indicators: pd.DataFrame, config: Config, below: float | None = None
) -> pd.DataFrame:
    """Scored indicators under the `running` threshold, weakest first."""
    limit = config.thresholds["running"] if below is None else below
    scored = indicators[indicators["indicator"].isin([i.key for i in config.scored()])]
    scored = scored[scored["score"].notna()]
    scored = scored[scored["score"].astype(float) < limit]
    return scored.sort_values(["score", "indicator"]).reset_index(drop=True)


def percentile_rank(value: float, peers: list[float]) -> float:
    """Share of peers scoring below `value` (ties count half), 0-100."""
    if not peers:
        raise ValueError("no peers")
    below = sum(p < value for p in peers)
    equal = sum(p == value for p in peers)
    return 100.0 * (below + 0.5 * equal) / len(peers)


# --- measuring ---------------------------------------------------------------------------


def week_start(dates: pd.Series) -> pd.Series:
    """The Monday of each date's week (as a Timestamp)."""
    stamps = pd.to_datetime(dates)
    return (stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")).dt.normalize()


def week_spine(days: pd.DataFrame) -> pd.DataFrame:
    """Every week of every merchant from its first to its last day of data."""
    if days.empty:
        return pd.DataFrame(columns=["merchant_id", "week"])
    weeks = days.assign(week=week_start(days["date"]))
    bounds = weeks.groupby("merchant_id")["week"].agg(["min", "max"])
    parts = [
        pd.DataFrame({"merchant_id": mid, "week": pd.date_range(lo, hi, freq="7D")})
        for mid, lo, hi in zip(bounds.index, bounds["min"], bounds["max"], strict=True)
    ]
    return pd.concat(parts, ignore_index=True)


def _spread(frame: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Each row repeated for its week and the `weeks - 1` weeks after it (so grouping by
    week gives the trailing window)."""
    if frame.empty:
        return frame
    shifted = [frame.assign(week=frame["week"] + pd.Timedelta(days=7 * k)) for k in range(weeks)]
    return pd.concat(shifted, ignore_index=True)


def trailing_distinct(
    frame: pd.DataFrame, id_col: str, name: str, weeks: int = TRAILING_WEEKS
) -> pd.DataFrame:
    """Distinct `id_col` per merchant with a row in the trailing `weeks` weeks."""
    if frame.empty:
        return pd.DataFrame(columns=["merchant_id", "week", name])
    unique = frame[["merchant_id", "week", id_col]].drop_duplicates()
    spread = _spread(unique, weeks).drop_duplicates()
    return (
        spread.groupby(["merchant_id", "week"], as_index=False)[id_col]
        .nunique()
        .rename(columns={id_col: name})
    )


def trailing_sum(
    frame: pd.DataFrame, columns: list[str], weeks: int = TRAILING_WEEKS
) -> pd.DataFrame:
    """Sums of `columns` per merchant over the trailing `weeks` weeks."""
    weekly = frame.groupby(["merchant_id", "week"], as_index=False)[columns].sum()
    return _spread(weekly, weeks).groupby(["merchant_id", "week"], as_index=False)[columns].sum()


def _on_spine(spine: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    return spine.merge(part, on=["merchant_id", "week"], how="left")


def _stock(spine: pd.DataFrame, deltas: pd.DataFrame, name: str) -> pd.DataFrame:
    """A level at each week's end from per-week changes (changes before the first week of
    the spine count in its first week)."""
    out = spine.copy()
    if deltas.empty:
        out[name] = 0.0
        return out
    first = spine.groupby("merchant_id")["week"].min().rename("first")
    d = deltas.join(first, on="merchant_id")
    d = d[d["first"].notna()]
    d = d.assign(week=d["week"].where(d["week"] >= d["first"], d["first"]))
    weekly = d.groupby(["merchant_id", "week"], as_index=False)["delta"].sum()
    out = out.merge(weekly, on=["merchant_id", "week"], how="left")
    out[name] = out.fillna({"delta": 0}).groupby("merchant_id")["delta"].cumsum()
    return out.drop(columns="delta")


def membership_deltas(events: pd.DataFrame) -> pd.DataFrame:
    """Per merchant, format and week: net change in connected customers (a repeated join
    counts once, a leave without a join changes nothing). Carries `owned` for community
    groups that a guide runs (a join with a guide id)."""
    join = {"mini_program": "follow", "wecom_guide": "add_contact", "community": "join_group"}
    leave = {
        "mini_program": "unfollow",
        "wecom_guide": "remove_contact",
        "community": "leave_group",
    }
    columns = ["merchant_id", "touchpoint", "week", "delta", "owned"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    is_join = events["action"] == events["touchpoint"].map(join)
    is_leave = events["action"] == events["touchpoint"].map(leave)
    ev = events[is_join | is_leave].copy()
    if ev.empty:
        return pd.DataFrame(columns=columns)
    owned_groups = set(
        ev.loc[
            (ev["touchpoint"] == "community") & ev["guide_id"].notna() & is_join,
            ["merchant_id", "group_id"],
        ].itertuples(index=False, name=None)
    )
    ev["owned"] = [
        (m, g) in owned_groups for m, g in zip(ev["merchant_id"], ev["group_id"], strict=True)
    ]
    ev = ev.sort_values(["merchant_id", "touchpoint", "customer_id", "occurred_at"], kind="stable")
    ev["state"] = (ev["action"] == ev["touchpoint"].map(join)).astype(int)
    prev = ev.groupby(["merchant_id", "touchpoint", "customer_id"], sort=False)["state"].shift(
        fill_value=0
    )
    ev["delta"] = ev["state"] - prev
    ev = ev[ev["delta"] != 0]
    ev["week"] = week_start(ev["occurred_on"])
    return ev[columns].reset_index(drop=True)


def _employed_deltas(guides: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """+1 in the week a guide joins (a blank join date: from the start), -1 in the week it
    leaves; grouped by `group` (a label per guide)."""
    far_past = pd.Timestamp("1900-01-01")
    joined = week_start(pd.to_datetime(guides["joined_on"]).fillna(far_past))
    join = pd.DataFrame(
        {"merchant_id": guides["merchant_id"], "group": group, "week": joined, "delta": 1}
    )
    left = guides["left_on"].notna()
    leave = pd.DataFrame(
        {
            "merchant_id": guides.loc[left, "merchant_id"],
            "group": group[left],
            "week": week_start(guides.loc[left, "left_on"]),
            "delta": -1,
        }
    )
    return pd.concat([join, leave], ignore_index=True)


@dataclass
class Inputs:
    """What measuring needs for a few merchants (frames as the pipeline reads them)."""

    merchants: pd.DataFrame  # merchant_id, industry, stores
    days: pd.DataFrame  # mart_merchant_day: merchant_id, date, orders, identified_orders,
    #                     visitors, identified_visitors, cloud_users
    events: pd.DataFrame  # merchant_id, customer_id, touchpoint, action, occurred_at,
    #                       occurred_on, guide_id, group_id
    orders: pd.DataFrame  # merchant_id, ordered_on, channel, gmv, identity, guide_id,
    #                       campaign_id
    guides: pd.DataFrame  # merchant_id, guide_id, role, joined_on, left_on
    rejection: pd.DataFrame  # merchant_id, rejection_rate
    last_day: object = None  # the latest day of data of the whole delivery history
    from_week: object = None  # keep weeks from this day on (earlier ones only feed windows)


def _ratio(num: pd.Series, den: pd.Series, cap: float | None = None) -> pd.Series:
    out = num.astype(float) / den.where(den.astype(float) > 0).astype(float)
    return out.clip(upper=cap) if cap is not None else out


def _touchpoints(inp: Inputs, spine: pd.DataFrame, wide: pd.DataFrame) -> None:
    ev = (
        inp.events.assign(week=week_start(inp.events["occurred_on"]))
        if not inp.events.empty
        else (inp.events.assign(week=pd.Series(dtype="datetime64[ns]")))
    )
    deltas = membership_deltas(inp.events)
    stocks = {}
    for fmt_name, col in zip(
        FORMATS, ("mp_followers", "wecom_contacts", "community_members"), strict=True
    ):
        part = deltas[deltas["touchpoint"] == fmt_name]
        stocks[col] = _stock(spine, part[["merchant_id", "week", "delta"]], col)[col]
        wide[col] = stocks[col].to_numpy()
    owned = deltas[(deltas["touchpoint"] == "community") & deltas["owned"].astype(bool)]
    wide["community_guide_layer"] = _stock(spine, owned[["merchant_id", "week", "delta"]], "x")[
        "x"
    ].to_numpy()

    def distinct(mask: pd.Series, name: str, weeks: int = TRAILING_WEEKS) -> pd.Series:
        part = trailing_distinct(ev[mask], "customer_id", name, weeks)
        return _on_spine(spine, part)[name].fillna(0).to_numpy()

    if ev.empty:
        mask = pd.Series(dtype=bool)
        wide["mp_fans"] = 0.0
        wide["reachable"] = 0.0
        wide["community_active"] = 0.0
        wide["community_hot_fans"] = 0.0
        tiers = pd.DataFrame(columns=["merchant_id", "week", "medium", "heavy"])
        connected = pd.DataFrame(columns=["merchant_id", "week", "guides"])
    else:
        tp, act = ev["touchpoint"], ev["action"]
        mask = (tp == "mini_program") & (act == "visit")
        wide["mp_fans"] = distinct(mask, "mp_fans")
        wecom_msg = (tp == "wecom_guide") & (act == "message")
        wide["reachable"] = distinct(wecom_msg, "reachable")
        wide["community_active"] = distinct(
            (tp == "community") & act.isin(["message", "post"]), "a"
        )
        wide["community_hot_fans"] = distinct((tp == "community") & (act == "post"), "h")
        per_week = (
            ev[wecom_msg].groupby(["merchant_id", "customer_id", "week"], as_index=False).size()
        )
        spread = _spread(per_week, TIER_WEEKS)
        counts = spread.groupby(["merchant_id", "week", "customer_id"], as_index=False)[
            "size"
        ].sum()
        counts["medium"] = counts["size"].between(MEDIUM_FROM, HEAVY_FROM - 1).astype(int)
        counts["heavy"] = (counts["size"] >= HEAVY_FROM).astype(int)
        tiers = counts.groupby(["merchant_id", "week"], as_index=False)[["medium", "heavy"]].sum()
        with_guide = ev[(tp == "wecom_guide") & ev["guide_id"].notna()]
        connected = trailing_distinct(with_guide, "guide_id", "guides")
    tiers_on = _on_spine(spine, tiers).fillna({"medium": 0, "heavy": 0})
    wide["contacts_medium"] = tiers_on["medium"].to_numpy()
    wide["contacts_heavy"] = tiers_on["heavy"].to_numpy()
    wide["contacts_light"] = (
        wide["wecom_contacts"] - wide["contacts_medium"] - wide["contacts_heavy"]
    ).clip(lower=0)
    wide["guides_connected"] = _on_spine(spine, connected)["guides"].fillna(0).to_numpy()


def measure(inp: Inputs, config: Config) -> pd.DataFrame:
    """Every indicator of every merchant-week: (merchant_id, week, indicator, value)."""
    spine = week_spine(inp.days)
    columns = ["merchant_id", "week", "indicator", "value"]
    if spine.empty:
        return pd.DataFrame(columns=columns)
    wide = spine.copy()
    merchants = inp.merchants.set_index("merchant_id")
    stores = wide["merchant_id"].map(merchants["stores"]).astype(float)
    industry = wide["merchant_id"].map(merchants["industry"])

    # Days: traffic, identified orders, cloud users.
    days = inp.days.assign(week=week_start(inp.days["date"]))
    flows = trailing_sum(days, ["orders", "identified_orders", "visitors", "identified_visitors"])
    flows = _on_spine(spine, flows)
    last = days.sort_values("date").groupby(["merchant_id", "week"], as_index=False).last()
    cloud = _on_spine(spine, last[["merchant_id", "week", "cloud_users"]])["cloud_users"]
    wide["cloud_users"] = cloud.groupby(wide["merchant_id"]).ffill().fillna(0).to_numpy()
    wide["cloud_users_per_store"] = _ratio(wide["cloud_users"], stores)
    wide["digitised_share"] = _ratio(flows["identified_visitors"], flows["visitors"]).to_numpy()
    wide["identified_order_share"] = _ratio(flows["identified_orders"], flows["orders"]).to_numpy()

    # Touchpoints from events.
    _touchpoints(inp, spine, wide)
    wide["mp_fans_per_store"] = _ratio(wide["mp_fans"], stores)
    wide["contacts_reachable_share"] = _ratio(wide["reachable"], wide["wecom_contacts"], cap=1.0)
    wide["community_active_share"] = _ratio(
        wide["community_active"], wide["community_members"], cap=1.0
    )
    formats = wide[["mp_followers", "wecom_contacts", "community_members"]].clip(lower=0)
    total = formats.sum(axis=1)
    targets = np.array([config.mix_for(i) for i in industry])
    shares = formats.to_numpy() / np.where(total.to_numpy() > 0, total.to_numpy(), np.nan)[:, None]
    wide["format_mix_fit"] = 1 - 0.5 * np.abs(shares - targets).sum(axis=1)

    # Guides: staffing.
    guides = inp.guides
    role = guides["role"].fillna("sales")
    label = role.where(role.isin(PROGRAMME_ROLES), "sales")
    employed = (
        _employed_deltas(guides, label)
        if not guides.empty
        else pd.DataFrame(columns=["merchant_id", "group", "week", "delta"])
    )
    sales = employed[employed["group"] == "sales"][["merchant_id", "week", "delta"]]
    wide["sales_guides"] = _stock(spine, sales, "n")["n"].to_numpy()
    staffed = np.zeros(len(wide))
    for r in PROGRAMME_ROLES:
        part = employed[employed["group"] == r][["merchant_id", "week", "delta"]]
        staffed += (_stock(spine, part, "n")["n"].to_numpy() > 0).astype(float)
    wide["roles_staffed"] = staffed
    wide["guides_connected_share"] = _ratio(wide["guides_connected"], wide["sales_guides"], cap=1.0)
    wide["contacts_per_guide"] = _ratio(wide["wecom_contacts"], wide["sales_guides"])

    # Orders: guides' sales, attribution, identities.
    _orders(inp, spine, wide, guides, label)

    # Delivery health.
    wide["freshness_days"] = _freshness(inp, spine)
    rejection = inp.rejection.set_index("merchant_id")["rejection_rate"]
    wide["rejection_rate"] = wide["merchant_id"].map(rejection).astype(float)

    if inp.from_week is not None:
        wide = wide[wide["week"] >= pd.Timestamp(str(inp.from_week))]
    keep = [k for k in config.indicators if k in wide.columns]
    long = wide.melt(id_vars=["merchant_id", "week"], value_vars=keep, var_name="indicator")
    long["value"] = long["value"].astype(float).replace([np.inf, -np.inf], np.nan)
    long["week"] = long["week"].dt.date
    return long[columns]


def _orders(
    inp: Inputs, spine: pd.DataFrame, wide: pd.DataFrame, guides: pd.DataFrame, label: pd.Series
) -> None:
    o = inp.orders
    if o.empty:
        for name in (
            "guide_gmv_share", "active_guides", "active_guide_share", "guide_productivity",
            "top_median_ratio", "attributable_order_share", "cross_channel_share",
        ):  # fmt: skip
            wide[name] = np.nan
        return
    o = o.assign(week=week_start(o["ordered_on"]), gmv=o["gmv"].astype(float))
    private = o["channel"].isin(PRIVATE_CHANNELS)
    has_guide = o["guide_id"].notna()
    o["private_gmv"] = o["gmv"].where(private, 0.0)
    o["guide_private_gmv"] = o["gmv"].where(private & has_guide, 0.0)
    o["n"] = 1
    o["attributed"] = (has_guide | o["campaign_id"].notna()).astype(int)
    flows = _on_spine(
        spine, trailing_sum(o, ["private_gmv", "guide_private_gmv", "n", "attributed"])
    )
    wide["guide_gmv_share"] = _ratio(flows["guide_private_gmv"], flows["private_gmv"]).to_numpy()
    wide["attributable_order_share"] = _ratio(flows["attributed"], flows["n"]).to_numpy()

    # Per sales guide: GMV over the trailing weeks.
    is_sales = pd.Series(label.to_numpy() == "sales", index=guides.index)
    sales_ids = set(
        guides.loc[is_sales, ["merchant_id", "guide_id"]].itertuples(index=False, name=None)
    )
    g = o[has_guide]
    is_sales_guide = [
        (m, x) in sales_ids for m, x in zip(g["merchant_id"], g["guide_id"], strict=True)
    ]
    g = g[pd.Series(is_sales_guide, index=g.index, dtype=bool)]  # a list would pick columns
    per = g.groupby(["merchant_id", "guide_id", "week"], as_index=False)["gmv"].sum()
    per = _spread(per, TRAILING_WEEKS)
    per = per.groupby(["merchant_id", "week", "guide_id"], as_index=False)["gmv"].sum()
    per = per[per["gmv"] > 0]
    grouped = per.groupby(["merchant_id", "week"])["gmv"]
    stats = grouped.agg(["size", "sum", "median"]).rename(
        columns={"size": "active_guides", "sum": "guide_gmv"}
    )
    stats["p90"] = grouped.quantile(0.9)
    stats = _on_spine(spine, stats.reset_index())
    active = stats["active_guides"].fillna(0)
    wide["active_guides"] = active.to_numpy()
    wide["active_guide_share"] = _ratio(active, wide["sales_guides"], cap=1.0).to_numpy()
    wide["guide_productivity"] = (_ratio(stats["guide_gmv"], active) / TRAILING_WEEKS).to_numpy()
    ratio = _ratio(stats["p90"], stats["median"])
    wide["top_median_ratio"] = ratio.where(active >= MIN_GUIDES_FOR_SPREAD).to_numpy()

    # Identities seen in two or more channels over the trailing weeks.
    ident = o[o["identity"].notna()][["merchant_id", "identity", "channel", "week"]]
    ident = _spread(ident.drop_duplicates(), TRAILING_WEEKS).drop_duplicates()
    channels = ident.groupby(["merchant_id", "week", "identity"], as_index=False)[
        "channel"
    ].nunique()
    channels["multi"] = (channels["channel"] >= 2).astype(int)
    cross = channels.groupby(["merchant_id", "week"], as_index=False).agg(
        ids=("identity", "size"), multi=("multi", "sum")
    )
    cross = _on_spine(spine, cross)
    wide["cross_channel_share"] = _ratio(cross["multi"], cross["ids"]).to_numpy()


def _freshness(inp: Inputs, spine: pd.DataFrame) -> np.ndarray:
    """Days from the end of each week (or the last day of data, if earlier) back to the
    merchant's latest order day up to then."""
    if inp.orders.empty:
        return np.full(len(spine), np.nan)
    o = inp.orders.assign(
        day=pd.to_datetime(inp.orders["ordered_on"]), week=week_start(inp.orders["ordered_on"])
    )
    latest = o.groupby(["merchant_id", "week"], as_index=False)["day"].max()
    on = _on_spine(spine, latest)
    on["day"] = on.groupby("merchant_id")["day"].cummax().groupby(on["merchant_id"]).ffill()
    end = on["week"] + pd.Timedelta(days=6)
    if inp.last_day is not None:
        end = end.clip(upper=pd.Timestamp(str(inp.last_day)))
    return (end - on["day"]).dt.days.astype(float).to_numpy()
