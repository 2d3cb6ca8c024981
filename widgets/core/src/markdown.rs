//! A small, safe markdown subset, parsed into a node tree that views render
//! as DOM nodes (never as HTML text).
//!
//! Supported: paragraphs (blank line), line breaks (newline), `**bold**`,
//! `*emphasis*`, `` `code` ``, bullet lists (`- ` or `* `), links
//! `[text](url)` only when [`km_protocol::validate::is_safe_url`] allows the
//! URL (otherwise the text stays, without a link), and `\` escapes. HTML in
//! the input is plain text. Parsing is linear-ish in the input: unmatched
//! delimiters are remembered, so hostile input cannot make it quadratic per
//! level, and nesting is capped.

use km_protocol::validate::is_safe_url;

/// Deepest nesting of emphasis/bold/link inside each other.
const MAX_DEPTH: usize = 6;

/// A block of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bullet list; each item is inline content.
    List(Vec<Vec<Inline>>),
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `**strong**`.
    Strong(Vec<Inline>),
    /// `*emphasis*`.
    Em(Vec<Inline>),
    /// `` `code` ``.
    Code(String),
    /// A safe link.
    Link {
        /// The URL (http, https or mailto).
        href: String,
        /// The link text.
        children: Vec<Inline>,
    },
    /// A line break inside a paragraph or item.
    Break,
}

fn list_item(line: &str) -> Option<&str> {
    let t = line.trim_start();
    t.strip_prefix("- ").or_else(|| t.strip_prefix("* "))
}

/// Parses `src` into blocks.
pub fn parse(src: &str) -> Vec<Block> {
    let src = src.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(parse_inline(&para.join("\n"))));
            para.clear();
        }
    };
    let flush_list = |items: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !items.is_empty() {
            blocks.push(Block::List(items.iter().map(|i| parse_inline(i)).collect()));
            items.clear();
        }
    };
    for line in src.lines() {
        if line.trim().is_empty() {
            flush_para(&mut para, &mut blocks);
            flush_list(&mut items, &mut blocks);
        } else if let Some(item) = list_item(line) {
            flush_para(&mut para, &mut blocks);
            items.push(item.trim().to_owned());
        } else if !items.is_empty() && line.starts_with([' ', '\t']) {
            // An indented line continues the previous item.
            if let Some(last) = items.last_mut() {
                last.push('\n');
                last.push_str(line.trim());
            }
        } else {
            flush_list(&mut items, &mut blocks);
            para.push(line.trim_end());
        }
    }
    flush_para(&mut para, &mut blocks);
    flush_list(&mut items, &mut blocks);
    blocks
}

/// Parses inline content (no blocks).
pub fn parse_inline(src: &str) -> Vec<Inline> {
    Parser::default().run(src, 0)
}

#[derive(Default)]
struct Parser {
    out: Vec<Inline>,
    text: String,
}

/// Delimiters known to have no closer further on (keeps parsing linear).
#[derive(Default)]
struct Exhausted {
    tick: bool,
    star2: bool,
    star1: bool,
    link: bool,
}

impl Parser {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.out.push(Inline::Text(std::mem::take(&mut self.text)));
        }
    }

    fn push(&mut self, node: Inline) {
        self.flush();
        self.out.push(node);
    }

    fn run(mut self, s: &str, depth: usize) -> Vec<Inline> {
        let mut ex = Exhausted {
            link: !s.contains("]("),
            ..Exhausted::default()
        };
        let mut i = 0;
        while i < s.len() {
            let rest = &s[i..];
            let Some(c) = rest.chars().next() else { break };
            if c == '\\'
                && let Some(n) = rest[1..].chars().next()
                && n.is_ascii_punctuation()
            {
                self.text.push(n);
                i += 1 + n.len_utf8();
                continue;
            }
            if c == '\n' {
                self.push(Inline::Break);
                i += 1;
                continue;
            }
            if c == '`' && !ex.tick {
                match rest[1..].find('`') {
                    Some(end) if end > 0 => {
                        self.push(Inline::Code(rest[1..1 + end].to_owned()));
                        i += end + 2;
                        continue;
                    }
                    Some(_) => {}
                    None => ex.tick = true,
                }
            }
            if depth < MAX_DEPTH && rest.starts_with("**") && !ex.star2 {
                match rest[2..].find("**") {
                    Some(end) if end > 0 => {
                        let inner = Parser::default().run(&rest[2..2 + end], depth + 1);
                        self.push(Inline::Strong(inner));
                        i += end + 4;
                        continue;
                    }
                    Some(_) => {}
                    None => ex.star2 = true,
                }
            }
            if depth < MAX_DEPTH && c == '*' && !rest.starts_with("**") && !ex.star1 {
                match find_em_close(&rest[1..]) {
                    Some(end) => {
                        let inner = Parser::default().run(&rest[1..1 + end], depth + 1);
                        self.push(Inline::Em(inner));
                        i += end + 2;
                        continue;
                    }
                    None => ex.star1 = true,
                }
            }
            if depth < MAX_DEPTH
                && c == '['
                && !ex.link
                && let Some((label, url, len)) = find_link(rest)
            {
                {
                    let children = Parser::default().run(label, depth + 1);
                    if is_safe_url(url) {
                        self.push(Inline::Link {
                            href: url.to_owned(),
                            children,
                        });
                    } else {
                        // Unsafe target: keep the words, drop the link.
                        self.flush();
                        self.out.extend(children);
                    }
                    i += len;
                    continue;
                }
            }
            self.text.push(c);
            i += c.len_utf8();
        }
        self.flush();
        self.out
    }
}

/// The offset of the closing single `*` of an emphasis (not a `**`, not
/// after whitespace, content not empty).
fn find_em_close(s: &str) -> Option<usize> {
    if s.starts_with([' ', '\n']) {
        return None;
    }
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(off) = s[from..].find('*') {
        let j = from + off;
        let doubled = bytes.get(j + 1) == Some(&b'*');
        if j > 0 && !doubled && !bytes[j - 1].is_ascii_whitespace() {
            return Some(j);
        }
        from = j + if doubled { 2 } else { 1 };
    }
    None
}

/// `[label](url)` at the start of `s`: label, url and the total length.
fn find_link(s: &str) -> Option<(&str, &str, usize)> {
    // Bounded windows keep a page of `[` from making parsing quadratic.
    let close = s[..boundary(s, 512)].find("](")?;
    let label = &s[1..close];
    if label.is_empty() || label.contains('\n') {
        return None;
    }
    let after = &s[close + 2..];
    // The URL ends at the `)` that balances the `(`: parentheses inside it
    // belong to it (`https://en.wikipedia.org/wiki/Foo_(bar)`).
    let mut open = 0usize;
    let mut end = None;
    for (j, b) in after[..boundary(after, 2100)].bytes().enumerate() {
        match b {
            b'(' => open += 1,
            b')' if open == 0 => {
                end = Some(j);
                break;
            }
            b')' => open -= 1,
            b'\n' | b' ' => return None,
            _ => {}
        }
    }
    let end = end?;
    let url = &after[..end];
    Some((label, url, close + 2 + end + 1))
}

/// The largest char boundary of `s` at or below `max`.
fn boundary(s: &str, max: usize) -> usize {
    let mut n = max.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// The plain text of inline content (for labels and announcements).
pub fn plain_text(nodes: &[Inline]) -> String {
    let mut s = String::new();
    for n in nodes {
        match n {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Strong(c) | Inline::Em(c) | Inline::Link { children: c, .. } => {
                s.push_str(&plain_text(c))
            }
            Inline::Break => s.push(' '),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn text(s: &str) -> Inline {
        Text(s.to_owned())
    }

    #[test]
    fn paragraphs_breaks_and_lists() {
        let doc = parse("First line\nsecond line\n\n- one\n- **two**\n\nAfter");
        assert_eq!(
            doc,
            vec![
                Block::Paragraph(vec![text("First line"), Break, text("second line")]),
                Block::List(vec![vec![text("one")], vec![Strong(vec![text("two")])]]),
                Block::Paragraph(vec![text("After")]),
            ]
        );
    }

    #[test]
    fn emphasis_code_and_nesting() {
        assert_eq!(
            parse_inline("a *b* **c *d* e** `x*y*`"),
            vec![
                text("a "),
                Em(vec![text("b")]),
                text(" "),
                Strong(vec![text("c "), Em(vec![text("d")]), text(" e")]),
                text(" "),
                Code("x*y*".into()),
            ]
            .into_iter()
            .fold(Vec::new(), merge_text)
        );
    }

    fn merge_text(mut acc: Vec<Inline>, n: Inline) -> Vec<Inline> {
        if let (Some(Text(a)), Text(b)) = (acc.last_mut(), &n) {
            a.push_str(b);
        } else {
            acc.push(n);
        }
        acc
    }

    #[test]
    fn only_safe_links_become_links() {
        assert_eq!(
            parse_inline("see [docs](https://intranet.example/kb)"),
            vec![
                text("see "),
                Link {
                    href: "https://intranet.example/kb".into(),
                    children: vec![text("docs")]
                }
            ]
        );
        // An unsafe link shows its text, all of it and nothing more.
        let evil = parse_inline("[click](javascript:alert(1))");
        assert!(!format!("{evil:?}").contains("Link"), "{evil:?}");
        assert_eq!(plain_text(&evil), "click");
    }

    #[test]
    fn parentheses_in_a_url_belong_to_it_when_balanced() {
        assert_eq!(
            parse_inline("[Foo](https://en.wikipedia.org/wiki/Foo_(bar)) ok"),
            vec![
                Link {
                    href: "https://en.wikipedia.org/wiki/Foo_(bar)".into(),
                    children: vec![text("Foo")]
                },
                text(" ok")
            ]
        );
        // A link followed by a remark in parentheses ends at its own `)`.
        assert_eq!(
            parse_inline("[kb](https://kb.example/a) (see 2)"),
            vec![
                Link {
                    href: "https://kb.example/a".into(),
                    children: vec![text("kb")]
                },
                text(" (see 2)")
            ]
        );
        // Unbalanced: no link, the text stays as typed.
        assert_eq!(
            plain_text(&parse_inline("[x](https://a.example/(b")),
            "[x](https://a.example/(b"
        );
    }

    #[test]
    fn html_stays_text() {
        assert_eq!(
            parse("<script>alert(1)</script>"),
            vec![Block::Paragraph(vec![text("<script>alert(1)</script>")])]
        );
    }

    #[test]
    fn unmatched_delimiters_and_escapes_are_literal() {
        assert_eq!(
            parse_inline("2 * 3 ** 4 `x [y"),
            vec![text("2 * 3 ** 4 `x [y")]
        );
        assert_eq!(parse_inline(r"\*not em\*"), vec![text("*not em*")]);
    }

    #[test]
    fn hostile_input_stays_fast() {
        let s = "*[`".repeat(5_000);
        let start = std::time::Instant::now();
        let _ = parse(&s);
        let deep = "**".repeat(2_000) + "x" + &"**".repeat(2_000);
        let _ = parse(&deep);
        assert!(start.elapsed().as_secs() < 2);
    }
}
