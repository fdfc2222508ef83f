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


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A small valid PDF: each page's lines in Helvetica, one under the other ("" = a blank line)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*" if line else "T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode("latin-1") + stream + b"\nendstream")
        content_ref = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_ref} 0 R "
                       "/Resources << /Font << /F1 3 0 R >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    info = None
    if title:
        objects.append(f"<< /Title ({title}) >>")
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        body = obj if isinstance(obj, bytes) else obj.encode("latin-1")
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
