"""Edit forms carry the version of the record they were opened on: tests that post by hand send it too.

Or they send the whole form as the page holds it (``form_on``), as a browser would.
"""

from html.parser import HTMLParser

from coopportal.concurrency import TOKEN_FIELD


def with_version(client, url, data, *, page=None, form="form"):
    """``data`` plus the hidden record version of ``form`` on the page at ``page`` (default ``url``), as now.

    What a browser sends back with a form it has just opened; without it the save is refused as an
    edit conflict.
    """
    response = client.get(page or url)
    assert response.status_code == 200, response.status_code
    return {**data, TOKEN_FIELD: response.context[form][TOKEN_FIELD].value()}


class FormReader(HTMLParser):
    """The POST forms of a page, each as ``(action, {name: [values]})`` the way a browser would submit it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.fields = None
        self.select = None
        self.textarea = None

    def add(self, name, value):
        if self.fields is not None and name:
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.fields = {}
            self.forms.append((attrs.get("action"), self.fields))
        elif self.fields is None or "disabled" in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.add(attrs.get("name"), attrs.get("value", "on"))
            elif kind not in ("submit", "button", "reset", "file"):
                self.add(attrs.get("name"), attrs.get("value", ""))
        elif tag == "select":
            self.select = {"name": attrs.get("name"), "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = {"name": attrs.get("name"), "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or ([] if self.select["multiple"] else self.select["options"][:1])
            for value in chosen:
                self.add(self.select["name"], value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the newline that opens a textarea's content.
            text = self.textarea["text"]
            self.add(self.textarea["name"], text[1:] if text.startswith("\n") else text)
            self.textarea = None


def form_on(response, action=None):
    """The fields of the page's POST form sent to ``action`` (None: the form that posts back to the page)."""
    reader = FormReader()
    reader.feed(response.content.decode())
    for form_action, fields in reader.forms:
        if form_action == action or (action is None and not form_action):
            return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}
    raise AssertionError(f"No form posting to {action or 'the page'} on this page.")
