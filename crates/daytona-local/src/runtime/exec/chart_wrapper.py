# Runs before user code that uses matplotlib: figures shown with plt.show() are described
# as charts (protocol section 11) on lines starting with the artifact prefix, which
# daytona-local strips from the output and returns as artifacts.
import base64 as _dtn_b64, io as _dtn_io, json as _dtn_json, sys as _dtn_sys
import matplotlib as _dtn_mpl
_dtn_mpl.use("Agg")
import matplotlib.pyplot as _dtn_plt
from matplotlib.axes import Axes as _DtnAxes
from matplotlib.cbook import boxplot_stats as _dtn_box_stats
from matplotlib.collections import PathCollection as _DtnPathCollection
from matplotlib.container import BarContainer as _DtnBarContainer
from matplotlib.patches import Wedge as _DtnWedge

_DTN_PREFIX = "dtn_artifact_k39fd2:"
_dtn_orig_boxplot = _DtnAxes.boxplot


def _dtn_boxplot(self, x, *args, **kwargs):
    # Keep the statistics matplotlib draws, so the chart can report them exactly.
    labels = kwargs.get("labels") or kwargs.get("tick_labels")
    self._dtn_box = _dtn_box_stats(x, labels=labels)
    return _dtn_orig_boxplot(self, x, *args, **kwargs)


_DtnAxes.boxplot = _dtn_boxplot


def _dtn_num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def _dtn_png(fig):
    buf = _dtn_io.BytesIO()
    fig.savefig(buf, format="png")
    return _dtn_b64.b64encode(buf.getvalue()).decode()


def _dtn_label(artist, default):
    label = artist.get_label()
    return default if not label or label.startswith("_") else label


def _dtn_axes_chart(ax):
    chart = {"title": ax.get_title() or None, "x_label": ax.get_xlabel() or None, "y_label": ax.get_ylabel() or None,
             "x_scale": ax.get_xscale(), "y_scale": ax.get_yscale(),
             "x_ticks": [_dtn_num(t) for t in ax.get_xticks()], "y_ticks": [_dtn_num(t) for t in ax.get_yticks()],
             "x_tick_labels": [t.get_text() for t in ax.get_xticklabels()],
             "y_tick_labels": [t.get_text() for t in ax.get_yticklabels()]}
    wedges = [p for p in ax.patches if isinstance(p, _DtnWedge)]
    bars = [c for c in ax.containers if isinstance(c, _DtnBarContainer)]
    scatters = [c for c in ax.collections if isinstance(c, _DtnPathCollection)]
    if getattr(ax, "_dtn_box", None):
        chart["type"] = "box_and_whisker"
        chart["elements"] = [{"label": str(s.get("label", i + 1)), "min": float(s["whislo"]), "first_quartile": float(s["q1"]),
                              "median": float(s["med"]), "third_quartile": float(s["q3"]), "max": float(s["whishi"]),
                              "outliers": [float(o) for o in s["fliers"]]} for i, s in enumerate(ax._dtn_box)]
    elif wedges:
        chart["type"] = "pie"
        texts = [t.get_text() for t in ax.texts]
        chart["elements"] = [{"label": _dtn_label(w, texts[i] if i < len(texts) else str(i)), "angle": float(w.theta2 - w.theta1),
                              "radius": float(w.r)} for i, w in enumerate(wedges)]
    elif bars:
        chart["type"] = "bar"
        names = {round(float(t), 6): l.get_text() for t, l in zip(ax.get_xticks(), ax.get_xticklabels())}
        chart["elements"] = [{"label": names.get(round(float(r.get_x() + r.get_width() / 2), 6), ""), "group": _dtn_label(c, ""),
                              "value": float(r.get_height())} for c in bars for r in c.patches]
    elif scatters:
        chart["type"] = "scatter"
        chart["elements"] = [{"label": _dtn_label(c, str(i)), "points": [[_dtn_num(x), _dtn_num(y)] for x, y in c.get_offsets()]}
                             for i, c in enumerate(scatters)]
    elif ax.get_lines():
        chart["type"] = "line"
        chart["elements"] = [{"label": _dtn_label(l, str(i)), "points": [[_dtn_num(x), _dtn_num(y)] for x, y in l.get_xydata()]}
                             for i, l in enumerate(ax.get_lines())]
    else:
        chart["type"] = "unknown"
        chart["elements"] = []
    return chart


def _dtn_figure_chart(fig):
    axes = [a for a in fig.get_axes() if a.has_data()]
    if len(axes) == 1:
        chart = _dtn_axes_chart(axes[0])
    else:
        title = fig._suptitle.get_text() if fig._suptitle else None
        chart = {"type": "composite_chart", "title": title, "elements": [_dtn_axes_chart(a) for a in axes]}
    chart["png"] = _dtn_png(fig)
    return chart


def _dtn_show(*args, **kwargs):
    for num in _dtn_plt.get_fignums():
        fig = _dtn_plt.figure(num)
        try:
            value = _dtn_figure_chart(fig)
        except Exception as e:  # a chart we cannot describe must not break the user's run
            value = {"type": "unknown", "title": str(e), "elements": [], "png": _dtn_png(fig)}
        _dtn_sys.stdout.write(_DTN_PREFIX + _dtn_json.dumps({"type": "chart", "value": value}) + "\n")
        _dtn_sys.stdout.flush()
    _dtn_plt.close("all")


_dtn_plt.show = _dtn_show
