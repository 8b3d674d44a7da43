"""`{% fragment key... %}...{% endfragment %}`: a template fragment kept in the cache.

Like Django's `{% cache %}`, keyed by the values given, the language and the page cache's
generation (so it goes stale with every edit the page cache watches), but safe around
forms: the CSRF tokens inside are kept blank and the current visitor's token is put back
on every render, so no visitor ever gets another's token.

`{% live %}...{% endlive %}` inside a fragment marks a visitor's own part (the header's
basket count, the search box's words): it is rendered on every view and never kept. A live
part sees the context the fragment sees: it must stand in the fragment's own template (not
an included one) and outside any loop or `with` of the fragment (such a fragment is
rendered, not kept). A fragment inside another's render is part of the outer one.

`{% fixed_fragment key... %}...{% endfixed_fragment %}` keeps the fragment in this
process's memory instead, with no generation: only for parts that show settings, URLs and
fixed text (the footer), never rows of the database, which other processes change. Name
in its key every setting it shows.
"""

import contextvars
import hashlib
import re
import secrets
import threading

from django import template
from django.core.cache import cache
from django.template.base import TextNode, VariableNode
from django.template.defaulttags import FilterNode, ForNode, WithNode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from shop.core.pagecache import csrf_blank, csrf_filled, pagecache_generation

register = template.Library()

TIMEOUT = 600
FIXED_ENTRIES = 256  # fragments kept in a process (a few per page and vary value)
# A live part inside these sees values the fragment does not, or has its output changed.
CONTEXT_CHANGING = (ForNode, WithNode, FilterNode)
TEXT = (TextNode, VariableNode)

# The fragment being recorded: (marker, the live nodes met in order), or None.
_recording: contextvars.ContextVar = contextvars.ContextVar("fragment_recording", default=None)


def _generation(context) -> int:
    """Return the generation, read once per request (with the frame's keys when it can)."""
    request = context.get("request")
    if request is None:
        return pagecache_generation()
    if not hasattr(request, "_fragment_generation"):
        request._fragment_generation = pagecache_generation()
    return request._fragment_generation


class LiveNode(template.Node):
    """A visitor's own part of a fragment, rendered on every view."""

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        recording = _recording.get()
        if recording is None:
            return self.nodelist.render(context)
        marker, met = recording
        met.append(self)
        return f"\x00{marker}:{len(met) - 1}\x00"


def _replayable_lives(nodelist) -> list:
    """Return the live parts that see the fragment's own context (not a loop's or a with's)."""
    found = []

    def walk(nodes, replayable: bool) -> None:
        for node in nodes:
            if isinstance(node, LiveNode):
                if replayable:
                    found.append(node)
                continue
            inner = replayable and not isinstance(node, CONTEXT_CHANGING)
            for name in node.child_nodelists:
                walk(getattr(node, name, None) or (), inner)

    walk(nodelist, True)
    return found


def _signature(nodelist) -> str:
    """Return a digest of the fragment's template: a deploy that changes it keeps anew (the
    kept parts name its live parts by their order)."""
    nodes = nodelist.get_nodes_by_type(template.Node)
    shown = [
        type(node).__name__ + (repr(node) if isinstance(node, TEXT) else "") for node in nodes
    ]
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:8]


class FragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary: list):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.lives = _replayable_lives(nodelist)
        self.signature = _signature(nodelist)

    def key(self, context) -> str:
        parts = ":".join(str(value.resolve(context)) for value in self.vary)
        digest = hashlib.sha256(f"{get_language()}:{parts}".encode()).hexdigest()[:20]
        return f"fragment:{self.name}:{self.signature}:{_generation(context)}:{digest}"

    def kept(self, key: str):
        return cache.get(key)

    def keep(self, key: str, parts) -> None:
        cache.set(key, parts, TIMEOUT)

    def record(self, context) -> tuple:
        """Render the fragment; return its parts (HTML, or HTML and live parts' indexes) and
        whether they may be kept."""
        marker = secrets.token_hex(8)  # no page's own text can hold it
        token = _recording.set((marker, []))
        try:
            html = self.nodelist.render(context)
            met = _recording.get()[1]
        finally:
            _recording.reset(token)
        if not met:
            return csrf_blank(html), True
        indexes = [self._index(node) for node in met]
        if -1 in indexes or len(set(indexes)) != len(indexes):
            # A live part in an included template or a loop: cannot be replayed alone.
            return csrf_blank(self.nodelist.render(context)), False
        pieces = re.split(f"\x00{marker}:(\\d+)\x00", html)
        if len(pieces) != 2 * len(met) + 1:  # a marker changed on its way (a filter)
            return csrf_blank(self.nodelist.render(context)), False
        parts = [csrf_blank(p) if i % 2 == 0 else indexes[int(p)] for i, p in enumerate(pieces)]
        return tuple(parts), True

    def _index(self, node) -> int:
        for index, live in enumerate(self.lives):
            if live is node:
                return index
        return -1

    def filled(self, parts, context) -> str:
        """Return the kept parts with the visitor's CSRF token and live parts put in."""
        token = context.get("csrf_token", "")
        if isinstance(parts, str):
            return csrf_filled(parts, token)
        return "".join(
            csrf_filled(part, token)
            if isinstance(part, str)
            else self.lives[part].nodelist.render(context)
            for part in parts
        )

    def render(self, context) -> str:
        if _recording.get() is not None:  # inside another fragment's render: part of it
            return self.nodelist.render(context)
        key = self.key(context)
        parts = self.kept(key)
        if parts is None:
            parts, keepable = self.record(context)
            if keepable:
                self.keep(key, parts)
        return mark_safe(self.filled(parts, context))  # noqa: S308  (escaped by the engine)


class FixedFragmentNode(FragmentNode):
    """A fragment kept in the process's memory: settings, URLs and text only."""

    _store: dict = {}
    _lock = threading.Lock()

    def key(self, context) -> str:
        parts = ":".join(str(value.resolve(context)) for value in self.vary)
        return f"{self.name}:{self.signature}:{get_language()}:{parts}"

    def kept(self, key: str):
        return self._store.get(key)

    def keep(self, key: str, parts) -> None:
        with self._lock:
            if len(self._store) >= FIXED_ENTRIES:
                self._store.clear()  # rare: a few fragments a page; start again
            self._store[key] = parts


def _parse(parser, token, node_class, end: str):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return node_class(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])


@register.tag("fragment")
def do_fragment(parser, token):
    """Parse `{% fragment name value... %}...{% endfragment %}`."""
    return _parse(parser, token, FragmentNode, "endfragment")


@register.tag("fixed_fragment")
def do_fixed_fragment(parser, token):
    """Parse `{% fixed_fragment name value... %}...{% endfixed_fragment %}`."""
    return _parse(parser, token, FixedFragmentNode, "endfixed_fragment")


@register.tag("live")
def do_live(parser, token):
    """Parse `{% live %}...{% endlive %}`: a fragment's part rendered on every view."""
    nodelist = parser.parse(("endlive",))
    parser.delete_first_token()
    return LiveNode(nodelist)
