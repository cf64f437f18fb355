"""Build the CV corpus documents from ``sources/*.cv`` with the real producers.

    python bench/corpus/cv/build.py            # every CV
    python bench/corpus/cv/build.py li-wei     # one CV

Run by hand only when a source changes: it needs pdfTeX and XeLaTeX (Debian texlive-latex-base,
texlive-latex-recommended, texlive-xetex, texlive-fonts-recommended, lmodern), LibreOffice
(libreoffice-writer-nogui) and Chromium. The outputs are committed so that CI and the harness need none
of them. Intermediate files (.tex, .html, .odt) go to ``sources/generated/`` so each PDF can be traced
back to what its producer was given.

Source format (``sources/<id>.cv``)::

    # Full name
    contact lines...
    ## Section            (## [side] Section: the sidebar of a two-column layout)
    @ Title | Organisation, Place | Sep. 2021 – Present
    - bullet
    any other line is a paragraph
"""

import html
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
GENERATED = SOURCES / "generated"
CHROMIUM = "/usr/bin/chromium"

# id -> (producer, layout). The label file (labels/<id>.toml) names the output file and describes it.
PLAN: dict[str, tuple[str, str]] = {
    "adaeze-okafor": ("pdflatex", "title_date"),
    "elena-petrova": ("pdflatex", "date_below_long"),
    "james-oconnor": ("pdflatex", "date_column"),
    "rahul-menon": ("xelatex", "two_col"),
    "vikram-rao-consultancy": ("xelatex", "one_col"),
    "tomasz-nowak": ("chromium", "gdocs"),
    "keyword-stuffed-pdf": ("chromium", "gdocs"),
    "funmilayo-adeyemi": ("chromium", "two_col"),
    "zanele-dlamini": ("chromium", "flex_right"),
    "priya-raman": ("canvas", "soft_hyphen"),
    "arjun-sharma": ("canvas", "glyphs"),
    "bola-akinde-outsourcing": ("canvas", "glyphs"),
    "sophie-laurent": ("libreoffice_pdf", "docx"),
    "margaret-nwosu-nurse": ("libreoffice_pdf", "docx"),
    "marco-bianchi": ("libreoffice_pdf", "odt"),
    "ines-fernandez": ("libreoffice_docx", "html_two_col"),
    "claire-dubois-marketing": ("libreoffice_docx", "odt"),
    "hannah-schmidt": ("python_docx", "plain"),
    "kwame-mensah": ("python_docx", "plain"),
    "gareth-jones-teacher": ("python_docx", "table_dates"),
    "samuel-osei-injection": ("python_docx", "plain"),
    "siddharth-iyer": ("python_docx", "table_dates"),
    "oluwaseun-balogun": ("python_docx", "narrative"),
    "chidi-eze": ("txt", "pipes"),
    "aiko-tanaka": ("txt", "narrative"),
    "keyword-stuffed-txt": ("txt", "pipes"),
    "meera-iyer-accountant": ("txt", "comma"),
    "peter-walsh-sysadmin": ("txt", "comma"),
    "jordan-pike-inflated": ("txt", "pipes"),
    "li-wei": ("txt", "title_then_org_dates"),
    "fatima-alsayed": ("txt", "dates_above"),
}


@dataclass
class Role:
    title: str
    org: str
    dates: str


@dataclass
class Section:
    title: str
    side: bool
    items: list = field(default_factory=list)  # Role | ("bullet", str) | ("para", str)


@dataclass
class CV:
    name: str
    contact: list[str]
    sections: list[Section]
    paragraphs: list[str]  # narrative CVs: no sections at all

    @property
    def main(self) -> list[Section]:
        return [s for s in self.sections if not s.side]

    @property
    def side(self) -> list[Section]:
        return [s for s in self.sections if s.side]


def parse(text: str) -> CV:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    name = lines[0].lstrip("# ").strip()
    contact: list[str] = []
    sections: list[Section] = []
    paragraphs: list[str] = []
    for line in lines[1:]:
        if line.startswith("## "):
            title = line[3:].strip()
            side = title.startswith("[side]")
            sections.append(Section(title.removeprefix("[side]").strip(), side))
        elif not sections:
            (paragraphs if contact else contact).append(line)
        elif line.startswith("@ "):
            title, org, dates = (part.strip() for part in line[2:].split("|"))
            sections[-1].items.append(Role(title, org, dates))
        elif line.startswith("- "):
            sections[-1].items.append(("bullet", line[2:].strip()))
        else:
            sections[-1].items.append(("para", line.strip()))
    return CV(name, contact, sections, paragraphs)


# --- LaTeX -------------------------------------------------------------------------------------

_TEX = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}"}


def tex(s: str) -> str:
    s = s.replace("\\", r"\textbackslash{}")
    s = "".join(_TEX.get(c, c) for c in s)
    return s.replace(" – ", " -- ").replace("–", "--").replace("·", r"\textperiodcentered{}")


def tex_items(section: Section, layout: str) -> list[str]:
    out, in_list = [], False
    for item in section.items:
        if isinstance(item, tuple) and item[0] == "bullet":
            if not in_list:
                out.append(r"\begin{itemize}\itemsep0pt")
                in_list = True
            out.append(rf"\item {tex(item[1])}")
            continue
        if in_list:
            out.append(r"\end{itemize}")
            in_list = False
        if isinstance(item, Role):
            if layout == "date_below_long":
                out.append(rf"\textbf{{{tex(item.title)}}}, {tex(item.org)}\\ {tex(item.dates)}\par")
            elif layout == "date_column":
                out.append(
                    rf"\noindent\begin{{tabular}}{{@{{}}p{{3.9cm}}p{{11.8cm}}}}{tex(item.dates)} & "
                    rf"\textbf{{{tex(item.title)}}} \newline \textit{{{tex(item.org)}}}\end{{tabular}}\par"
                )
            else:
                out.append(
                    rf"\noindent\textbf{{{tex(item.title)}}} \hfill {tex(item.dates)}\\ \textit{{{tex(item.org)}}}\par"
                )
        else:
            out.append(tex(item[1]) + r"\par")
    if in_list:
        out.append(r"\end{itemize}")
    return out


def latex_document(cv: CV, layout: str, *, xetex: bool) -> str:
    size = "12pt" if layout == "date_below_long" else "10pt"
    head = [rf"\documentclass[{size},a4paper]{{article}}"]
    if xetex:
        head += [r"\usepackage{fontspec}", r"\setmainfont{DejaVu Sans}"]
    else:
        head += [
            r"\usepackage[T1]{fontenc}",
            r"\usepackage[utf8]{inputenc}",
            r"\usepackage{lmodern}",
            r"\usepackage{textcomp}",
        ]
    head += [
        r"\usepackage[margin=1.8cm]{geometry}",
        r"\usepackage{paracol}",
        r"\pagestyle{empty}",
        r"\setlength{\parindent}{0pt}",
    ]
    if layout == "date_below_long":
        head.append(r"\linespread{1.5}")
    body = [rf"{{\LARGE\bfseries {tex(cv.name)}}}\\[2pt]", tex(" ".join(cv.contact)) + r"\par\medskip"]
    for p in cv.paragraphs:
        body.append(tex(p) + r"\par")

    def section_block(s: Section) -> list[str]:
        return [rf"\section*{{{tex(s.title)}}}", *tex_items(s, layout)]

    if layout == "two_col":
        body.append(r"\columnratio{0.32}\begin{paracol}{2}")
        for s in cv.side:
            body += section_block(s)
        body.append(r"\switchcolumn")
        for s in cv.main:
            body += section_block(s)
        body.append(r"\end{paracol}")
    else:
        for i, s in enumerate(cv.sections):
            if layout == "date_below_long" and i and s.title in ("Publications", "Grants", "Teaching"):
                body.append(r"\clearpage")
            body += section_block(s)
    return "\n".join([*head, r"\begin{document}", *body, r"\end{document}", ""])


def build_latex(cv: CV, ident: str, layout: str, out: Path, *, xetex: bool) -> None:
    source = latex_document(cv, layout, xetex=xetex)
    (GENERATED / f"{ident}.tex").write_text(source)
    engine = "xelatex" if xetex else "pdflatex"
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cv.tex").write_text(source)
        for _ in range(2 if layout == "two_col" else 1):
            subprocess.run(
                [engine, "-interaction=nonstopmode", "-halt-on-error", "cv.tex"],
                cwd=tmp,
                check=True,
                capture_output=True,
            )
        shutil.copy(Path(tmp) / "cv.pdf", out)


# --- HTML (Chromium, LibreOffice) ----------------------------------------------------------

CSS = {
    "gdocs": "body{font-family:Arial,'Liberation Sans',sans-serif;font-size:11pt;margin:0}h1{font-size:20pt;margin:0}"
    "h2{font-size:13pt;color:#1f4e79;margin:14pt 0 4pt}.title{font-weight:bold}.org{font-style:italic}"
    ".dates{color:#555}ul{margin:2pt 0 6pt}p{margin:2pt 0}",
    "flex_right": "body{font-family:'DejaVu Sans',sans-serif;font-size:10pt}h2{border-bottom:1px solid #999;font-size:12pt}"
    ".role{display:flex;justify-content:space-between}.dates{text-align:right}",
    "two_col": "body{font-family:'DejaVu Serif',serif;font-size:10pt}.grid{display:grid;grid-template-columns:32% 64%;"
    "gap:4%}.side{background:#eef2f5;padding:8pt}h2{font-size:12pt;text-transform:uppercase}"
    ".role{display:flex;justify-content:space-between}",
    "html_two_col": "body{font-family:'Liberation Sans',sans-serif;font-size:10pt}td{vertical-align:top}",
}


def html_role(role: Role, layout: str) -> str:
    t, o, d = (html.escape(x) for x in (role.title, role.org, role.dates))
    if layout == "gdocs":
        return f'<p class="title">{t}</p><p class="org">{o}</p><p class="dates">{d}</p>'
    return f'<div class="role"><span><b>{t}</b>, {o}</span><span class="dates">{d}</span></div>'


def html_sections(sections: list[Section], layout: str) -> str:
    parts = []
    for s in sections:
        parts.append(f"<h2>{html.escape(s.title)}</h2>")
        bullets: list[str] = []
        for item in s.items + [None]:
            if isinstance(item, tuple) and item[0] == "bullet":
                bullets.append(f"<li>{html.escape(item[1])}</li>")
                continue
            if bullets:
                parts.append("<ul>" + "".join(bullets) + "</ul>")
                bullets = []
            if isinstance(item, Role):
                parts.append(html_role(item, layout))
            elif item is not None:
                parts.append(f"<p>{html.escape(item[1])}</p>")
    return "\n".join(parts)


def html_document(cv: CV, layout: str) -> str:
    head = (
        f'<!doctype html><html><head><meta charset="utf-8"><style>{CSS.get(layout, CSS["gdocs"])}</style></head><body>'
    )
    top = f"<h1>{html.escape(cv.name)}</h1><p>{html.escape(' '.join(cv.contact))}</p>"
    top += "".join(f"<p>{html.escape(p)}</p>" for p in cv.paragraphs)
    if layout == "two_col":
        body = f'<div class="grid"><div class="side">{html_sections(cv.side, layout)}</div><div>{html_sections(cv.main, layout)}</div></div>'
    elif layout == "html_two_col":
        body = (
            f'<table width="100%"><tr><td width="32%">{html_sections(cv.side, layout)}</td>'
            f'<td width="68%">{html_sections(cv.main, layout)}</td></tr></table>'
        )
    else:
        body = html_sections(cv.sections, layout)
    return head + top + body + "</body></html>"


def build_chromium(cv: CV, ident: str, layout: str, out: Path) -> None:
    page = GENERATED / f"{ident}.html"
    page.write_text(html_document(cv, layout))
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )


def soffice(source: Path, target_ext: str, outdir: Path) -> Path:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target_ext, "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
    )
    return outdir / f"{source.stem}.{target_ext.split(':')[0]}"


def build_libreoffice(cv: CV, ident: str, producer: str, layout: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if layout == "docx":
            source = work / f"{ident}.docx"
            build_python_docx(cv, "plain", source)
        else:
            source = work / f"{ident}.html"
            source.write_text(html_document(cv, "html_two_col" if layout == "html_two_col" else "gdocs"))
            shutil.copy(source, GENERATED / source.name)
            if layout == "odt":
                source = soffice(source, "odt:writer8", work)
                shutil.copy(source, GENERATED / source.name)
        target = soffice(
            source, "pdf:writer_pdf_Export" if producer == "libreoffice_pdf" else "docx:MS Word 2007 XML", work
        )
        shutil.copy(target, out)


# --- python-docx -----------------------------------------------------------------------------


def build_python_docx(cv: CV, layout: str, out: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    document.add_heading(cv.name, level=0)
    for line in cv.contact:
        document.add_paragraph(line)
    for p in cv.paragraphs:
        document.add_paragraph(p)
    for s in cv.sections:
        document.add_heading(s.title, level=1)
        for item in s.items:
            if isinstance(item, Role):
                if layout == "table_dates":
                    table = document.add_table(rows=1, cols=2)
                    left, right = table.rows[0].cells
                    left.paragraphs[0].add_run(item.title).bold = True
                    left.add_paragraph(item.org)
                    right.paragraphs[0].add_run(item.dates)
                    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                else:
                    para = document.add_paragraph()
                    para.add_run(item.title).bold = True
                    para.add_run(f"\n{item.org} · {item.dates}")
            elif item[0] == "bullet":
                document.add_paragraph(item[1], style="List Bullet")
            else:
                document.add_paragraph(item[1])
    document.save(out)


# --- reportlab canvas (design-tool style) ----------------------------------------------------


def build_canvas(cv: CV, layout: str, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    width, height = A4
    left, right, top = 50, width - 50, height - 60
    pdf = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    fonts = {"Helvetica": "Helvetica", "Helvetica-Bold": "Helvetica-Bold", "Helvetica-Oblique": "Helvetica-Oblique"}
    if layout == "soft_hyphen":
        # An embedded TrueType subset with a ToUnicode map, as design tools write: the dash drawn between the
        # dates is the font's soft-hyphen glyph, so the text layer says U+00AD where the reader sees a dash.
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, file in (("CV", "DejaVuSans"), ("CV-Bold", "DejaVuSans-Bold"), ("CV-Oblique", "DejaVuSans-Oblique")):
            pdfmetrics.registerFont(TTFont(name, f"/usr/share/fonts/truetype/dejavu/{file}.ttf"))
        fonts = {"Helvetica": "CV", "Helvetica-Bold": "CV-Bold", "Helvetica-Oblique": "CV-Oblique"}
    pdf.setTitle(cv.name)
    y = top

    def draw(text: str, x: float, size: float, font: str = "Helvetica", align: str = "left") -> None:
        font = fonts[font]
        if align == "right":
            x -= stringWidth(text, font, size)
        if layout == "glyphs":
            # Design tools place every glyph on its own and draw no space characters: a word gap is just a jump,
            # and tight tracking makes it narrow (0.09 em here, against 0.28 em for a Helvetica space). This is
            # what comes out as "Ledtheplatformmigration" from extractors that infer spaces from the gap.
            obj = pdf.beginText()
            obj.setFont(font, size)
            cursor = x
            for char in text:
                if char == " ":
                    cursor += 0.09 * size
                    continue
                obj.setTextOrigin(cursor, y)
                obj.textOut(char)
                cursor += stringWidth(char, font, size)
            pdf.drawText(obj)
        else:
            pdf.setFont(font, size)
            pdf.drawString(x, y, text)

    def line(text: str, size: float = 9.5, font: str = "Helvetica", indent: float = 0, gap: float = 13) -> None:
        nonlocal y
        measure = fonts[font]
        words, current = text.split(), ""
        for word in words + [None]:
            candidate = f"{current} {word}".strip() if word else current
            if word is None or stringWidth(candidate, measure, size) > right - left - indent:
                if y < 60:
                    pdf.showPage()
                    y = top
                draw(current, left + indent, size, font)
                y -= gap
                current = word or ""
            else:
                current = candidate

    def dates(text: str) -> str:
        return text.replace(" – ", "\u00ad") if layout == "soft_hyphen" else text

    line(cv.name, 20, "Helvetica-Bold", gap=22)
    for c in cv.contact + cv.paragraphs:
        line(c)
    for s in cv.sections:
        y -= 8
        line(s.title.upper(), 11, "Helvetica-Bold", gap=15)
        for item in s.items:
            if isinstance(item, Role):
                draw(item.title, left, 10, "Helvetica-Bold")
                draw(dates(item.dates), right, 9.5, "Helvetica-Oblique", align="right")
                y -= 13
                line(item.org, 9.5, "Helvetica-Oblique")
            elif item[0] == "bullet":
                draw("\u2022", left + 4, 9.5)
                line(item[1], indent=14)
            else:
                line(item[1])
    pdf.save()


# --- plain text --------------------------------------------------------------------------------


def txt_document(cv: CV, layout: str) -> str:
    out = [cv.name, *cv.contact, ""]
    out += [p + "\n" for p in cv.paragraphs]
    for s in cv.sections:
        out += ["", s.title.upper()]
        for item in s.items:
            if isinstance(item, Role):
                if layout == "pipes":
                    out.append(f"{item.title} | {item.org} | {item.dates}")
                elif layout == "comma":
                    out.append(f"{item.title}, {item.org}, {item.dates}")
                elif layout == "dates_above":
                    out += [item.dates, f"{item.title}, {item.org}"]
                else:
                    out += [item.title, f"{item.org} ({item.dates})"]
            elif item[0] == "bullet":
                out.append(f"* {item[1]}")
            else:
                out.append(item[1])
    return "\n".join(out).strip() + "\n"


def build(ident: str) -> Path:
    import tomllib

    producer, layout = PLAN[ident]
    cv = parse((SOURCES / f"{ident}.cv").read_text())
    label = tomllib.loads((HERE / "labels" / f"{ident}.toml").read_text())
    out = HERE / label["file"]
    if producer in ("pdflatex", "xelatex"):
        build_latex(cv, ident, layout, out, xetex=producer == "xelatex")
    elif producer == "chromium":
        build_chromium(cv, ident, layout, out)
    elif producer.startswith("libreoffice"):
        build_libreoffice(cv, ident, producer, layout, out)
    elif producer == "python_docx":
        build_python_docx(cv, layout, out)
    elif producer == "canvas":
        build_canvas(cv, layout, out)
    else:
        out.write_text(txt_document(cv, layout))
    return out


def main(argv: list[str]) -> int:
    GENERATED.mkdir(exist_ok=True)
    for ident in argv or sorted(PLAN):
        out = build(ident)
        print(f"{ident:28} {PLAN[ident][0]:17} {out.name} {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
