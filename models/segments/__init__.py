"""Customer segments, one job a module:

- `rules`: the fields, operators and value checks of a definition (`validate`, pure);
- `conditions`: a checked definition as a bound SQL condition on the features mart;
- `templates`: the published repurchase tiers, the RFM segments and other templates (pure);
- `editor`: the segment editor's rows to a definition and back (pure);
- `ids`: how a customer id is shown (pure);
- `figures`: a segment's figures, tiers, members and distributions (scoped reads);
- `store`: saved segments and their versions (scoped writes).

The names below are the package's public face (`from models import segments as sg`); pages
import the pure modules by name (`models.segments.rules`, `.templates`, `.editor`, `.ids`),
since this package as a whole runs SQL.
"""

from models.segments.conditions import compile_rules
from models.segments.editor import EDITOR_COLUMNS, from_rows, parse_value, to_rows
from models.segments.figures import (
    BUCKET_ORDER,
    DISTRIBUTIONS,
    MEMBER_COLUMNS,
    STATS_COLUMNS,
    as_of,
    compare,
    distribution,
    members,
    segment_stats,
    tier_stats,
)
from models.segments.ids import mask_id
from models.segments.rules import (
    FIELDS,
    MAX_COMPARE,
    MAX_CONDITIONS,
    MAX_LIST,
    MAX_TIERS,
    NO_VALUE,
    OPERATORS,
    RFM_GRID,
    RFM_SEGMENT_NAMES,
    TOUCHPOINTS,
    Field,
    SegmentError,
    rfm_segment,
    validate,
)
from models.segments.store import SavedVersion, save_segment, saved_segments, segment_history
from models.segments.templates import REPURCHASE_TIERS, TEMPLATES, Template, Tier, single

__all__ = [
    "BUCKET_ORDER",
    "DISTRIBUTIONS",
    "EDITOR_COLUMNS",
    "FIELDS",
    "MAX_COMPARE",
    "MAX_CONDITIONS",
    "MAX_LIST",
    "MAX_TIERS",
    "MEMBER_COLUMNS",
    "NO_VALUE",
    "OPERATORS",
    "REPURCHASE_TIERS",
    "RFM_GRID",
    "RFM_SEGMENT_NAMES",
    "STATS_COLUMNS",
    "TEMPLATES",
    "TOUCHPOINTS",
    "Field",
    "SavedVersion",
    "SegmentError",
    "Template",
    "Tier",
    "as_of",
    "compare",
    "compile_rules",
    "distribution",
    "from_rows",
    "mask_id",
    "members",
    "parse_value",
    "rfm_segment",
    "save_segment",
    "saved_segments",
    "segment_history",
    "segment_stats",
    "single",
    "tier_stats",
    "to_rows",
    "validate",
]
