//! DocFX includes: a `[!INCLUDE [name](path)]` directive pulls another file's markdown into a page.
//!
//! Today's Graph pages keep their permission tables (and notes, and SDK samples) in include files
//! under `includes/` folders. Include files are not pages: [`read`] finds the ones a set of pages
//! names, transitively, and the sections stage splices their blocks in where the directive stands.
//! Keys are paths relative to the docs folder given, with `/` separators; an include above that
//! folder (`../../includes/all-clouds.md` from `v1.0/api/`) keeps its leading `..` parts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The include files read for a set of pages: key (see the module docs) → text.
pub type Includes = BTreeMap<String, String>;

/// How an include directive starts, as written and as pulldown-cmark flattens it.
pub const DIRECTIVE: &str = "[!INCLUDE";

/// Whether `text` holds an include directive. Asked of every paragraph and cell, which nearly
/// never do: a search for `[` (rare in flattened text, links being gone) is all most of them cost.
pub fn has_directive(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'[', bytes).any(|at| bytes[at..].starts_with(DIRECTIVE.as_bytes()))
}

/// How deep includes may nest: real ones nest once at most; a deeper chain is a loop or a mistake.
pub const MAX_DEPTH: usize = 8;

/// The targets of the include directives in `text`, in order (`path` of `[!INCLUDE [name](path)]`).
pub fn targets(text: &str) -> impl Iterator<Item = &str> + '_ {
    memchr::memmem::find_iter(text.as_bytes(), DIRECTIVE.as_bytes()).filter_map(move |at| {
        let rest = &text[at + DIRECTIVE.len()..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let open = line.find("](")? + 2;
        let close = line[open..].find(')')? + open;
        Some(line[open..close].trim())
    })
}

/// The key of the file `target` names, written in the file with key `from`; `None` for web
/// addresses and absolute paths, which docbind cannot read.
pub fn resolve(from: &str, target: &str) -> Option<String> {
    let target = &target[..memchr::memchr2(b'#', b'?', target.as_bytes()).unwrap_or(target.len())];
    let web = || memchr::memchr(b':', target.as_bytes()).is_some() && target.contains("://");
    if target.is_empty() || target.starts_with('/') || web() {
        return None;
    }
    // Built in one string, with where each part starts: every paragraph of a page with SDK tabs is
    // a directive, so this runs some 30,000 times over the corpus.
    let mut key = String::with_capacity(from.len() + target.len());
    let mut starts: Vec<usize> = Vec::with_capacity(8);
    let push = |key: &mut String, starts: &mut Vec<usize>, part: &str| {
        if !starts.is_empty() {
            key.push('/');
        }
        starts.push(key.len());
        key.push_str(part);
    };
    // The folder of `from`: every part but the last.
    if let Some((folder, _)) = from.rsplit_once('/') {
        for part in folder.split('/') {
            push(&mut key, &mut starts, part);
        }
    }
    for part in target.split('/') {
        match part {
            "" | "." => {}
            // Above the docs folder, `..` stays: the include is read from beside it.
            ".." if starts.last().is_none_or(|&start| &key[start..] == "..") => push(&mut key, &mut starts, ".."),
            ".." => {
                let start = starts.pop().unwrap_or_default();
                key.truncate(start.saturating_sub(1));
            }
            part => push(&mut key, &mut starts, part),
        }
    }
    Some(key)
}

/// SDK code samples (`includes/snippets/<language>/...`) are other languages' code for the same
/// request; docbind reads the HTTP tab instead, so they are neither read nor reported missing.
pub fn is_sdk_sample(key: &str) -> bool {
    let mut parts = key.split('/');
    parts.by_ref().any(|part| part == "includes") && parts.next() == Some("snippets")
}

/// Reads, from beside `root`, every include file that `pages` name (and that those name in turn),
/// except SDK samples. A file that cannot be read is left out; the page that names it gets a
/// diagnostic when it is parsed.
pub fn read(
    root: &Path,
    pages: &BTreeMap<String, String>,
    read_text: impl Fn(&Path) -> Option<String> + Sync,
) -> Includes {
    use rayon::prelude::*;
    let wanted = |from: &str, text: &str| -> Vec<String> {
        targets(text).filter_map(|target| resolve(from, target)).filter(|key| !is_sdk_sample(key)).collect()
    };
    let mut includes = Includes::new();
    let mut missing = BTreeSet::new();
    // Level by level, each level's files read and searched on rayon's pool (searching 8,000 pages
    // one by one was a sequential stretch of every run); a file is read at the least depth that
    // names it.
    let mut level: BTreeSet<String> = pages.par_iter().flat_map_iter(|(file, text)| wanted(file, text)).collect();
    for _ in 0..MAX_DEPTH {
        level.retain(|key| !includes.contains_key(key) && !missing.contains(key));
        if level.is_empty() {
            break;
        }
        let read: Vec<_> = level
            .into_par_iter()
            .map(|key| {
                let found = read_text(&root.join(&key)).map(|text| {
                    let named = wanted(&key, &text);
                    (text, named)
                });
                (key, found)
            })
            .collect();
        let mut next = BTreeSet::new();
        for (key, found) in read {
            match found {
                Some((text, named)) => {
                    next.extend(named);
                    includes.insert(key, text);
                }
                None => {
                    missing.insert(key);
                }
            }
        }
        level = next;
    }
    includes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_found_in_lines_and_cells() {
        let text = "[!INCLUDE [permissions-table](../includes/permissions/user-get-permissions.md)]\n\
                    |id|String|Unique. [!INCLUDE[beta-id](../../includes/outlook-beta-id.md)]|\n\
                    [!INCLUDE broken\n";
        let found: Vec<_> = targets(text).collect();
        assert_eq!(found, ["../includes/permissions/user-get-permissions.md", "../../includes/outlook-beta-id.md"]);
    }

    #[test]
    fn keys_are_relative_to_the_docs_folder_and_keep_leading_parent_parts() {
        let from = "api/user-get.md";
        assert_eq!(resolve(from, "../includes/permissions/x.md").as_deref(), Some("includes/permissions/x.md"));
        assert_eq!(resolve(from, "../../includes/all-clouds.md").as_deref(), Some("../includes/all-clouds.md"));
        assert_eq!(resolve(from, "./note.md#part").as_deref(), Some("api/note.md"));
        assert_eq!(resolve("../includes/a.md", "../../b.md").as_deref(), Some("../../b.md"));
        assert_eq!(resolve(from, "https://example.com/x.md"), None);
        assert_eq!(resolve(from, "/graph/x.md"), None);
    }

    /// The key as first written: the parts of `from`'s folder in a list, then the target's.
    fn resolve_by_list(from: &str, target: &str) -> Option<String> {
        let target = target.split(['#', '?']).next().unwrap_or_default();
        if target.is_empty() || target.contains("://") || target.starts_with('/') {
            return None;
        }
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for part in target.split('/') {
            match part {
                "" | "." => {}
                ".." if parts.last().is_none_or(|last| *last == "..") => parts.push(".."),
                ".." => {
                    parts.pop();
                }
                part => parts.push(part),
            }
        }
        Some(parts.join("/"))
    }

    #[test]
    fn keys_match_the_list_form_on_random_paths() {
        let pieces = ["..", ".", "", "a", "includes", "snippets", "x.md", "/", "/", "/", "#", "?", ":", "//"];
        let mut rng = crate::emit::random::Lcg(11);
        let mut draw = |n: usize| rng.below(n);
        let path = |draw: &mut dyn FnMut(usize) -> usize| -> String {
            (0..draw(9)).map(|_| pieces[draw(pieces.len())]).collect()
        };
        for _ in 0..50_000 {
            let (from, target) = (path(&mut draw), path(&mut draw));
            assert_eq!(resolve(&from, &target), resolve_by_list(&from, &target), "{from:?} {target:?}");
        }
    }

    #[test]
    fn sdk_samples_are_told_from_other_includes() {
        assert!(is_sdk_sample("includes/snippets/csharp/get-user-csharp-snippets.md"));
        assert!(is_sdk_sample("../v1.0/includes/snippets/snippets-sdk-documentation-link.md"));
        assert!(!is_sdk_sample("includes/permissions/user-get-permissions.md"));
        assert!(!is_sdk_sample("api/snippets.md"));
    }

    #[test]
    fn includes_are_read_transitively_through_loops_and_down_to_the_depth_limit() {
        let directive = |target: &str| format!("[!INCLUDE [x]({target})]\n");
        let mut files: BTreeMap<String, String> = BTreeMap::new();
        // A loop (a → b → a), and a chain longer than the limit (chain0 → chain1 → …).
        files.insert("includes/a.md".into(), directive("b.md"));
        files.insert("includes/b.md".into(), directive("./a.md"));
        for n in 0..MAX_DEPTH + 3 {
            files.insert(format!("includes/chain{n}.md"), directive(&format!("chain{}.md", n + 1)));
        }
        files.insert("includes/snippets/csharp/x.md".into(), String::new());
        let page = [
            "../includes/a.md",
            "../includes/chain0.md",
            "../includes/missing.md",
            "../includes/snippets/csharp/x.md",
            // Named again, and deeper down the chain too: read once.
            "../includes/chain2.md",
        ]
        .map(directive)
        .concat();
        let pages = BTreeMap::from([("api/page.md".to_string(), page)]);
        let root = Path::new("/docs");
        let read = read(root, &pages, |path| files.get(path.strip_prefix(root).ok()?.to_str()?).cloned());
        let mut expected = vec!["includes/a.md".to_string(), "includes/b.md".to_string()];
        // The page's directives are depth 1, and a file is read at the least depth naming it: from
        // chain2, named by the page, the chain goes on to chain{MAX_DEPTH + 1}, and no further.
        expected.extend((0..MAX_DEPTH + 2).map(|n| format!("includes/chain{n}.md")));
        expected.sort();
        assert_eq!(read.keys().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(read["includes/a.md"], files["includes/a.md"]);
    }
}
