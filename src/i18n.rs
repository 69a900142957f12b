//! Every word the user reads, in one message catalogue per language: Project Fluent files
//! (`assets/i18n/en.ftl`, `assets/i18n/zh.ftl`), compiled into the binary. Code names a
//! message by its id and passes its numbers and names as arguments ([`t!`]); the catalogue
//! decides the words, their order and the plurals. JSON outputs stay English: they are
//! for machines.
//!
//! The tests in this module fail when a message is missing in either language, when the
//! two disagree on a message's arguments, or when code names an id that no catalogue has.

use std::sync::OnceLock;

pub use fluent_bundle::{FluentArgs, FluentValue};
use fluent_bundle::{FluentResource, concurrent::FluentBundle};
use serde::{Deserialize, Serialize};

/// A language of the interface (the GUI's switch, `--lang`, or the environment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    English,
    Chinese,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::English, Language::Chinese];

    /// The code `--lang` takes.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Chinese => "zh",
        }
    }

    /// `en`, `zh`, or a locale such as `zh_CN.UTF-8`, `zh-Hans`, `en_US`; `None` for any
    /// other language.
    pub fn from_code(code: &str) -> Option<Language> {
        let lang = code
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "en" => Some(Language::English),
            "zh" => Some(Language::Chinese),
            _ => None,
        }
    }

    /// The language the environment asks for, as the C library reads it (`LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG`; the first one set decides). English when it names any
    /// other language.
    pub fn from_env() -> Language {
        Self::from_env_with(|name| std::env::var(name).ok())
    }

    fn from_env_with(var: impl Fn(&str) -> Option<String>) -> Language {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name).filter(|v| !v.is_empty()))
            .next()
            .and_then(|v| Language::from_code(&v))
            .unwrap_or_default()
    }

    fn source(self) -> &'static str {
        match self {
            Language::English => include_str!("../assets/i18n/en.ftl"),
            Language::Chinese => include_str!("../assets/i18n/zh.ftl"),
        }
    }

    fn locale(self) -> &'static str {
        match self {
            Language::English => "en-US",
            Language::Chinese => "zh-CN",
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Language) -> &'static Bundle {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| Language::ALL.map(build));
    &all[lang as usize]
}

/// A catalogue's bundle. The files are part of the binary and tested, so a syntax error
/// in one cannot reach a user; the parts that parse are still used.
fn build(lang: Language) -> Bundle {
    let resource = match FluentResource::try_new(lang.source().to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let locale = lang.locale().parse().unwrap_or_default();
    let mut bundle = Bundle::new_concurrent(vec![locale]);
    // No Unicode isolation marks around arguments: egui would draw them as boxes.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

/// The message `id` in `lang`; the id itself if the catalogue has no such message (which
/// the tests rule out).
pub fn tr(lang: Language, id: &str) -> String {
    format(lang, id, None)
}

/// The message `id` in `lang`, with arguments.
pub fn tr_with(lang: Language, id: &str, args: &FluentArgs) -> String {
    format(lang, id, Some(args))
}

fn format(lang: Language, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// An argument for a message: numbers stay numbers (for plurals), everything else is text.
pub fn arg<'a>(v: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    v.into()
}

/// How many terminal columns `text` takes: CJK characters and full-width punctuation take
/// two (for tables that line up in a terminal in either language).
pub fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum()
}

/// `t!(lang, "message-id")` or `t!(lang, "message-id", name = value, …)`: the message in
/// `lang`, as a `String`. Numbers (`usize`, `u64`, `f64`, …) select plurals; pass text
/// that is already formatted (durations, paths) as a `String` or `&str`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::i18n::tr($lang, $id)
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::arg($value)); )+
        $crate::i18n::tr_with($lang, $id, &args)
    }};
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// Every message of a catalogue, with the arguments it uses.
    fn messages(lang: Language) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(lang.source())
            .unwrap_or_else(|(_, errors)| panic!("{lang:?} catalogue: {errors:?}"));
        let mut out = BTreeMap::new();
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        variables(p, &mut vars);
                    }
                    assert!(
                        out.insert(m.id.name.to_string(), vars).is_none(),
                        "{lang:?}: `{}` is defined twice",
                        m.id.name
                    );
                }
                ast::Entry::Term(t) => panic!("{lang:?}: term `{}`: use messages", t.id.name),
                ast::Entry::Junk { content } => panic!("{lang:?}: cannot parse {content:?}"),
                _ => {}
            }
        }
        out
    }

    fn variables(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            ast::Expression::Inline(i) => inline_variables(i, out),
        }
    }

    fn inline_variables(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, out)
            }
            _ => {}
        }
    }

    /// The message ids the code names in `t!(…, "id" …)`, with the arguments it passes,
    /// from every source file.
    fn used_in_code() -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n.rs")
                {
                    // (This file's tests call `t!` on made-up ids.)
                    let text = std::fs::read_to_string(&path).expect("source");
                    for (id, args) in calls(&text) {
                        out.entry(id).or_default().extend(args);
                    }
                }
            }
        }
        out
    }

    /// `t!(lang, "id", a = x, b = y)` calls in `text`: the id and the argument names.
    fn calls(text: &str) -> Vec<(String, BTreeSet<String>)> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("t!(") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + 3..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // another macro ending in `t!`
            }
            // The call's text up to its closing parenthesis.
            let mut depth = 1;
            let mut end = rest.len();
            let mut in_str = false;
            let mut prev = ' ';
            for (i, c) in rest.char_indices() {
                match c {
                    '"' if prev != '\\' => in_str = !in_str,
                    '(' | '[' | '{' if !in_str => depth += 1,
                    ')' | ']' | '}' if !in_str => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
                prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            }
            let call = &rest[..end];
            let Some(q) = call.find('"') else { continue };
            let Some(len) = call[q + 1..].find('"') else {
                continue;
            };
            let id = &call[q + 1..q + 1 + len];
            if !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                continue; // the macro's own definition, or a doc comment
            }
            let after = &call[q + 1 + len + 1..];
            let args = top_level_args(after);
            out.push((id.to_string(), args));
        }
        out
    }

    /// The names of `name = value` arguments at the top level of `text`.
    fn top_level_args(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let (mut depth, mut in_str, mut prev) = (0i32, false, ' ');
        let mut start = 0;
        let mut pieces = Vec::new();
        for (i, c) in text.char_indices() {
            match c {
                '"' if prev != '\\' => in_str = !in_str,
                '(' | '[' | '{' if !in_str => depth += 1,
                ')' | ']' | '}' if !in_str => depth -= 1,
                ',' if !in_str && depth == 0 => {
                    pieces.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
            prev = c;
        }
        pieces.push(&text[start..]);
        for piece in pieces {
            let piece = piece.trim();
            if let Some((name, _)) = piece.split_once('=') {
                let name = name.trim();
                if !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !piece[name.len()..].trim_start().starts_with("==")
                {
                    out.insert(name.to_string());
                }
            }
        }
        out
    }

    #[test]
    fn both_catalogues_have_the_same_messages_with_the_same_arguments() {
        let en = messages(Language::English);
        let zh = messages(Language::Chinese);
        let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "missing in zh.ftl: {only_en:?}");
        assert!(only_zh.is_empty(), "missing in en.ftl: {only_zh:?}");
        for (id, vars) in &en {
            assert_eq!(vars, &zh[id], "`{id}`: en and zh use different arguments");
        }
        assert!(en.len() > 100, "{} messages", en.len());
    }

    #[test]
    fn every_message_the_code_names_exists_with_the_arguments_it_passes() {
        let en = messages(Language::English);
        let used = used_in_code();
        assert!(
            used.len() > 100,
            "found only {} ids in the code",
            used.len()
        );
        for (id, args) in &used {
            let Some(vars) = en.get(id) else {
                panic!("the code names `{id}`, which no catalogue has");
            };
            assert_eq!(
                args, vars,
                "`{id}`: the code passes {args:?}, the catalogue uses {vars:?}"
            );
        }
        let unused: Vec<_> = en.keys().filter(|k| !used.contains_key(*k)).collect();
        assert!(unused.is_empty(), "messages no code names: {unused:?}");
    }

    #[test]
    fn the_scanner_reads_ids_and_argument_names() {
        let found = calls(r#"x; t!(lang, "a-b"); y = t!(l, "c", n = f(1, 2), s = "x,y")"#);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "a-b");
        assert!(found[0].1.is_empty());
        assert_eq!(found[1].0, "c");
        assert_eq!(
            found[1].1,
            ["n", "s"].into_iter().map(String::from).collect()
        );
    }

    #[test]
    fn messages_format_with_arguments_and_plurals_in_both_languages() {
        // The catalogue's own message for the findings count in the folded panel.
        let one = t!(Language::English, "findings-folded", count = 1usize);
        let two = t!(Language::English, "findings-folded", count = 2usize);
        assert_eq!(one, "1 finding: « shows them");
        assert_eq!(two, "2 findings: « shows them");
        let zh = t!(Language::Chinese, "findings-folded", count = 2usize);
        assert!(zh.contains('2') && zh.contains("诊断"), "{zh}");
        // No isolation marks around arguments.
        assert!(!two.contains('\u{2068}'));
        // An unknown id comes back as itself rather than panicking.
        assert_eq!(tr(Language::Chinese, "no-such-message"), "no-such-message");
    }

    #[test]
    fn the_environment_picks_chinese_only_when_it_asks_for_it() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Language::from_env_with(env(&[("LANG", "zh_CN.UTF-8")])),
            Language::Chinese
        );
        assert_eq!(
            Language::from_env_with(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")])),
            Language::English
        );
        assert_eq!(
            Language::from_env_with(env(&[("LC_ALL", ""), ("LANG", "zh_TW")])),
            Language::Chinese
        );
        assert_eq!(
            Language::from_env_with(env(&[("LANG", "de_DE.UTF-8")])),
            Language::English
        );
        assert_eq!(Language::from_env_with(env(&[])), Language::English);
        assert_eq!(Language::from_code("zh-Hans"), Some(Language::Chinese));
        assert_eq!(Language::from_code("EN"), Some(Language::English));
        assert_eq!(Language::from_code("fr"), None);
    }
}
