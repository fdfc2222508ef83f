"""Small pages written for the extraction tests."""

# A plain policy body, long and varied enough to be accepted on its own.
POLICY_PARAS = [
    "This privacy policy explains how Example Soft collects, uses and protects the personal information you give us when you use this website.",
    "We may collect your name, e-mail address and payment details when you buy a licence, and we use cookies to remember your preferences.",
    "We do not sell your personal data to third parties. Service providers that process payments receive only what they need.",
    "You may opt out of our newsletter at any time, and you have the right to access and correct the information we hold about you.",
    "We retain order records for seven years, as tax law requires, and server logs with your IP address for thirty days.",
    "Our services are not directed to children under thirteen, and we do not knowingly collect information from them.",
    "If you have questions about this policy, write to our data protection officer at the address below.",
]


def page(body: str, title: str = "Privacy Policy - Example Soft", head: str = "", charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>{title}</title>{head}</head>"
            f"<body><div id='nav'><a href='/'>Home</a> <a href='/buy'>Buy</a></div>{body}</body></html>")


def policy_body(extra: str = "", heading: str = "Privacy Policy") -> str:
    paras = "".join(f"<p>{p}</p>" for p in POLICY_PARAS)
    return f"<div class='content'><h1>{heading}</h1>{paras}{extra}</div>"


NAV = "<ul><li><a href='/'>Home</a></li><li><a href='/products'>Products</a></li></ul>"
FOOTER = "<div class='footer'><a href='/privacy'>Privacy Policy</a> | <a href='/terms'>Terms</a> | &copy; 2012 Example</div>"
