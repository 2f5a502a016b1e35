"""``display`` and ``clear_output`` for ipywidgets' imports; no explorer calls them."""


def _no_shell(name):
    def refuse(*args, **kwargs):
        raise NotImplementedError(
            f"IPython.display.{name} has no notebook to write to in the live book: the page's "
            "widget manager shows each explorer.")
    refuse.__name__ = name
    return refuse


display = _no_shell("display")
clear_output = _no_shell("clear_output")
