import pytest

from bots.enquiry_triage.text import clean_body, strip_quoted, strip_signature


@pytest.mark.parametrize(("html", "text"), [
    ("<p>One</p><p>Two</p>", "One\n\nTwo"),
    ("<div>a<br>b</div>", "a\nb"),
    ("<style>p{x:1}</style><p>kept</p><script>bad()</script>", "kept"),
    ("<p>mine</p><blockquote>theirs</blockquote>", "mine"),
    ('<p>mine</p><div class="gmail_quote">On x wrote:<p>theirs</p></div>', "mine"),
    ("<p>&lt;tag&gt; &amp; 水浸</p>", "<tag> & 水浸"),
    ("<p>unclosed <b>bold", "unclosed bold"),
])
def test_html_to_text_keeps_only_the_writers_text(html, text):
    assert clean_body(html, is_html=True) == text


@pytest.mark.parametrize(("body", "kept"), [
    ("New text\n\nOn Mon, 1 Mar 2026 at 10:00, Team <t@x> wrote:\n> old", "New text\n"),
    ("New\n-----Original Message-----\nFrom: a\nold", "New"),
    ("New\n> quoted line\nmore new", "New\nmore new"),
    ("新內容\n於 2026年3月1日 上午10:00，客服 寫道：\n舊內容", "新內容"),
    ("新內容\n寄件者: 客服\n舊內容", "新內容"),
    ("Nothing quoted here", "Nothing quoted here"),
])
def test_strip_quoted_cuts_at_the_reply_header(body, kept):
    assert strip_quoted(body) == kept


@pytest.mark.parametrize(("body", "kept"), [
    ("Please help.\n\nRegards,\nChan Tai Man\nSent from my iPhone", "Please help.\n"),
    ("Please help.\n-- \nJohn\nTel 2345 6789", "Please help."),
    ("請幫手。\n\n此致\n食環署", "請幫手。\n"),
    ("Please help.\n從我的 iPhone 傳送", "Please help."),
    # a sign-off followed by a long text is not a signature
    ("Thanks,\n" + "\n".join(f"line {i}" for i in range(10)),
     "Thanks,\n" + "\n".join(f"line {i}" for i in range(10))),
])
def test_strip_signature_drops_short_sign_off_blocks(body, kept):
    assert strip_signature(body) == kept
