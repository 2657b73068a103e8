# The desktop's accessibility tree (AT-SPI), for the toolbox's /computeruse/a11y endpoints.
# Run inside the sandbox with the desktop's DISPLAY, by Debian's python3 (pyatspi is a Debian
# package): argv[1] is the request as JSON; prints {"ok": answer} or {"error": [status, message]}.
import json
import re
import sys

# Nodes one answer may hold; past it the answer says truncated.
MAX_NODES = 5000


class Failure(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def node_id(acc):
    return f"{acc.app.bus_name}{acc.path}" if acc.app is not None else acc.path


def describe(acc):
    node = {"id": node_id(acc), "role": acc.getRoleName(), "name": acc.name or "", "description": acc.description or ""}
    node["states"] = [pyatspi.stateToString(s) for s in acc.getState().getStates()]
    try:
        action = acc.queryAction()
        node["actions"] = [action.getName(i) for i in range(action.nActions)]
    except NotImplementedError:
        node["actions"] = []
    try:
        x, y, w, h = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        node["bounds"] = {"x": x, "y": y, "width": w, "height": h}
    except NotImplementedError:
        pass
    return node


def children(acc):
    for i in range(acc.childCount):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            yield child


def applications():
    return list(children(pyatspi.Registry.getDesktop(0)))


def root(req):
    scope = req.get("scope") or "focused"
    if scope == "all":
        return pyatspi.Registry.getDesktop(0)
    apps = applications()
    if scope == "pid":
        pid = req.get("pid")
        found = [a for a in apps if a.get_process_id() == pid]
        if not found:
            raise Failure(404, f"no accessible application with pid {pid}")
        return found[0]
    if scope != "focused":
        raise Failure(400, f"scope must be focused, pid or all, not {scope!r}")
    for app in apps:
        for window in children(app):
            if window.getState().contains(pyatspi.STATE_ACTIVE):
                return app
    if not apps:
        raise Failure(404, "no accessible application is running on the desktop")
    return apps[-1]


def tree(req):
    depth = req.get("maxDepth")
    depth = -1 if depth is None else int(depth)
    count = [0]

    def walk(acc, level):
        count[0] += 1
        node = describe(acc)
        if depth < 0 or level < depth:
            kids = []
            for child in children(acc):
                if count[0] >= MAX_NODES:
                    break
                kids.append(walk(child, level + 1))
            node["children"] = kids
        return node

    top = walk(root(req), 0)
    return {"root": top, "truncated": count[0] >= MAX_NODES}


def find(req):
    limit = int(req.get("limit") or 100)
    role, name, states = req.get("role"), req.get("name"), req.get("states") or []
    how = req.get("nameMatch") or "substring"
    if how not in ("exact", "substring", "regex"):
        raise Failure(400, f"nameMatch must be exact, substring or regex, not {how!r}")
    pattern = re.compile(name) if name is not None and how == "regex" else None

    def named(acc):
        if name is None:
            return True
        have = acc.name or ""
        return have == name if how == "exact" else name in have if how == "substring" else pattern.search(have) is not None

    matches, seen, stack = [], 0, [root(req)]
    while stack and seen < MAX_NODES:
        acc = stack.pop()
        seen += 1
        if (role is None or acc.getRoleName() == role) and named(acc):
            node = describe(acc)
            if all(s in node["states"] for s in states):
                if len(matches) == limit:
                    return {"matches": matches, "truncated": True}
                matches.append(node)
        stack.extend(reversed(list(children(acc))))
    return {"matches": matches, "truncated": bool(stack)}


def lookup(node):
    bus, _, path = node.partition("/")
    path = "/" + path
    for app in applications():
        if app.app is None or app.app.bus_name != bus:
            continue
        stack = [app]
        while stack:
            acc = stack.pop()
            if acc.path == path:
                return acc
            stack.extend(children(acc))
    raise Failure(404, f"no accessibility node {node}")


def focus(req):
    try:
        if not lookup(req["id"]).queryComponent().grabFocus():
            raise Failure(409, "the node did not take the focus")
    except NotImplementedError:
        raise Failure(400, "the node cannot take the focus")
    return {}


def invoke(req):
    acc = lookup(req["id"])
    try:
        action = acc.queryAction()
    except NotImplementedError:
        raise Failure(400, "the node has no actions")
    names = [action.getName(i) for i in range(action.nActions)]
    wanted = req.get("action")
    if not names or (wanted and wanted not in names):
        raise Failure(400, f"the node has no action {wanted!r} (it has {', '.join(names) or 'none'})")
    action.doAction(names.index(wanted) if wanted else 0)
    return {}


def set_value(req):
    acc = lookup(req["id"])
    value = req.get("value") or ""
    try:
        acc.queryEditableText().setTextContents(value)
        return {}
    except NotImplementedError:
        pass
    try:
        acc.queryValue().currentValue = float(value)
        return {}
    except NotImplementedError:
        raise Failure(400, "the node takes no text or value")
    except ValueError:
        raise Failure(400, f"the node takes a number, not {value!r}")


def main():
    req = json.loads(sys.argv[1])
    ops = {"tree": tree, "find": find, "focus": focus, "invoke": invoke, "value": set_value}
    try:
        out = {"ok": ops[req["op"]](req)}
    except Failure as f:
        out = {"error": [f.status, str(f)]}
    except re.error as e:
        out = {"error": [400, f"invalid name pattern: {e}"]}
    print(json.dumps(out))


try:
    import pyatspi
except ImportError:
    print(json.dumps({"error": [503, "the accessibility tree needs AT-SPI (apt-get install python3-pyatspi at-spi2-core)"]}))
    sys.exit(0)
main()
