#!/usr/bin/env python3
"""mkmime: writes the MIME corpus of tests/queued/mime-t.sh into DIR.
Usage: mkmime.py DIR TIFF"""
import base64, os, sys
from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email import encoders, policy

d, tif = sys.argv[1], open(sys.argv[2], "rb").read()
HDR = "From: sender@clinic.test\r\nTo: FAX=+15550300@fax.test\r\n"

def put(name, msg):
    data = msg if isinstance(msg, bytes) else msg.as_bytes(policy=policy.SMTP)
    open(os.path.join(d, name), "wb").write(data)

def base(subject, mid):
    m = MIMEMultipart()
    m["From"] = "sender@clinic.test"
    m["To"] = "FAX=+15550300@fax.test"
    m["Subject"] = subject
    m["Message-ID"] = "<%s@clinic.test>" % mid
    return m

# 1. a text body, no attachment: the body is faxed
m = EmailMessage()
m["From"] = "sender@clinic.test"; m["To"] = "FAX=+15550300@fax.test"
m["Subject"] = "body only"; m["Message-ID"] = "<body@clinic.test>"
m.set_content("Dear colleague,\nplease call me back.\n", charset="iso-8859-1", cte="quoted-printable")
put("body.eml", m)

# 2. an HTML body only
m = EmailMessage()
m["From"] = "sender@clinic.test"; m["To"] = "FAX=+15550300@fax.test"
m["Subject"] = "html only"; m["Message-ID"] = "<html@clinic.test>"
m.set_content("<html><body><p>hello</p></body></html>", subtype="html")
put("html.eml", m)

# 3. a zip called .pdf, with an RFC 2231 name
m = base("zip", "zip")
p = MIMEBase("application", "pdf")
p.set_payload(b"PK\x03\x04" + b"\x00" * 60)
encoders.encode_base64(p)
p.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "contrat signé.pdf"))
m.attach(p)
put("zip.eml", m)

# 4. broken base64 in a "PDF"
body = ("%sSubject: broken\r\nMessage-ID: <broken@clinic.test>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
        "Content-Type: application/pdf; name=scan.pdf\r\n"
        "Content-Disposition: attachment; filename=scan.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK%%%%!!!!****\r\n--B--\r\n") % HDR
put("broken.eml", body.encode())

# 5. a 1 MB header (1000 lines of 1000 bytes) and a text body
junk = "".join("X-Junk-%d: %s\r\n" % (i, "j" * 980) for i in range(1000))
body = ("%sSubject: big header\r\nMessage-ID: <bighdr@clinic.test>\r\n%s"
        "\r\nplain text after a big header\r\n") % (HDR, junk)
put("bighdr.eml", body.encode())

# 6. 300 nested multiparts
inner = "leaf\r\n"
for i in range(300):
    inner = ("Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n%s\r\n--b%d--\r\n"
             % (i, i, inner, i))
body = "%sSubject: nested\r\nMessage-ID: <nested@clinic.test>\r\nMIME-Version: 1.0\r\n%s" % (HDR, inner)
put("nested.eml", body.encode())

# 7. TNEF from Outlook
m = base("tnef", "tnef")
m.attach(MIMEText("see attachment"))
p = MIMEBase("application", "ms-tnef")
p.set_payload(b"\x78\x9f\x3e\x22" + b"\x00" * 100)
encoders.encode_base64(p)
p.add_header("Content-Disposition", "attachment", filename="winmail.dat")
m.attach(p)
put("tnef.eml", m)

# 8. a forwarded message (message/rfc822) holding a TIFF, and an RFC 2047 name
inner = MIMEMultipart()
inner["Subject"] = "the original"
inner.attach(MIMEText("forwarded text"))
p = MIMEBase("image", "tiff")
p.set_payload(tif)
encoders.encode_base64(p)
p.add_header("Content-Disposition", "attachment", filename="=?utf-8?q?r=C3=A9sultats.tif?=")
inner.attach(p)
m = base("forwarded", "fwd")
m.attach(MIMEMessage(inner))
put("fwd.eml", m)

# 9. urgent and non-urgent: Priority (RFC 2156), X-Priority
for name, hdr in (("urgent", "Priority: urgent"), ("lowprio", "X-Priority: 5 (Lowest)")):
    body = ("%sSubject: %s\r\nMessage-ID: <%s@clinic.test>\r\n%s\r\n\r\nfax text\r\n"
            % (HDR, name, name, hdr))
    put(name + ".eml", body.encode())

# 10. a text attachment in windows-1252, its charset given
m = base("cp1252", "cp1252")
p = MIMEBase("text", "plain", charset="windows-1252")
p.set_payload("Caf\xe9 \x80 5".encode("latin-1"))
encoders.encode_base64(p)
p.add_header("Content-Disposition", "attachment", filename="note.txt")
m.attach(p)
put("cp1252.eml", m)
