import datetime as dt

import numpy as np
import pytest

from kaohe.documents.official import (
    OfflineOnly,
    bar_chart_svg,
    chinese_date,
    document_number,
    offline_fetcher,
    render_html_pdf,
    render_pdf,
)
from tests.pdf import pdf_page_image, pdf_text


def test_document_numbers_and_dates_are_written_the_official_way() -> None:
    assert document_number("保绩提", 2022, 12) == "保绩提〔2022〕12号"
    assert chinese_date(dt.date(2026, 12, 2)) == "2026年12月2日"
    with pytest.raises(ValueError):
        document_number("保绩提", 2022, 0)


def test_an_official_document_prints_with_chinese_text_a_table_and_a_red_masthead() -> None:
    pdf = render_pdf(
        "documents/plain.html",
        {
            "issuer": "保靖县绩效考核办公室",
            "number": document_number("保绩通", 2026, 3),
            "title": "关于十一月份重点指标推进情况的通报",
            "issued_on": chinese_date(dt.date(2026, 12, 2)),
            "recipient": "各乡镇、县直各单位",
            "paragraphs": ["现将十一月份重点指标推进情况通报如下。"],
            "headers": ["单位", "得分"],
            "rows": [["迁陵镇", "96.5"], ["碗米坡镇", "88.0"]],
            "chart": bar_chart_svg(["迁陵镇", "碗米坡镇"], [96.5, 88.0]),
        },
    )
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in [
        "保靖县绩效考核办公室",
        "保绩通〔2026〕3号",
        "关于十一月份重点指标推进情况的通报",
        "迁陵镇",
        "96.5",
        "2026年12月2日",
    ]:
        assert expected in text.replace(" ", ""), expected
    page = pdf_page_image(pdf)
    width, height = page.size
    masthead = page.crop((0, 0, width, height // 5))
    px = np.asarray(masthead).astype(int)
    reds = int(((px[..., 0] > 180) & (px[..., 1] < 80) & (px[..., 2] < 80)).sum())
    assert reds > 200, "the issuing office is printed in red"


def test_a_document_cannot_reach_the_network() -> None:
    for url in ["http://example.com/x.png", "https://cdn.example.com/a.css", "file:///etc/passwd"]:
        with pytest.raises(OfflineOnly):
            offline_fetcher().fetch(url)
    # WeasyPrint reports a refused resource and prints the rest of the document.
    assert render_html_pdf('<p>正文</p><img src="http://example.com/x.png">').startswith(b"%PDF")
