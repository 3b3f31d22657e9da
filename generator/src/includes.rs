//! DocFX includes: a `[!INCLUDE [name](path)]` directive pulls another file's markdown into a page.
//!
//! Today's Graph pages keep their permission tables (and notes, and SDK samples) in include files
//! under `includes/` folders. Include files are not pages: [`read`] finds the ones a set of pages
//! names, transitively, and the sections stage splices their blocks in where the directive stands.
//! Keys are paths relative to the docs folder given, with `/` separators; an include above that
//! folder (`../../includes/all-clouds.md` from `v1.0/api/`) keeps its leading `..` parts.

use std::collections::BTreeMap;
use std::path::Path;

/// The include files read for a set of pages: key (see the module docs) → text.
pub type Includes = BTreeMap<String, String>;

/// How an include directive starts, as written and as pulldown-cmark flattens it.
pub const DIRECTIVE: &str = "[!INCLUDE";

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
    let target = target.split(['#', '?']).next().unwrap_or_default();
    if target.is_empty() || target.contains("://") || target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            // Above the docs folder, `..` stays: the include is read from beside it.
            ".." if parts.last().is_none_or(|last| *last == "..") => parts.push(".."),
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
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
pub fn read(root: &Path, pages: &BTreeMap<String, String>, read_text: impl Fn(&Path) -> Option<String>) -> Includes {
    let mut includes = Includes::new();
    let mut missing = std::collections::BTreeSet::new();
    let mut queue: Vec<(String, usize)> = Vec::new();
    let wanted = |from: &str, text: &str, depth: usize, queue: &mut Vec<(String, usize)>| {
        for key in targets(text).filter_map(|target| resolve(from, target)) {
            if !is_sdk_sample(&key) && depth < MAX_DEPTH {
                queue.push((key, depth + 1));
            }
        }
    };
    for (file, text) in pages {
        wanted(file, text, 0, &mut queue);
    }
    while let Some((key, depth)) = queue.pop() {
        if includes.contains_key(&key) || missing.contains(&key) {
            continue;
        }
        match read_text(&root.join(&key)) {
            Some(text) => {
                wanted(&key, &text, depth, &mut queue);
                includes.insert(key, text);
            }
            None => {
                missing.insert(key);
            }
        }
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

    #[test]
    fn sdk_samples_are_told_from_other_includes() {
        assert!(is_sdk_sample("includes/snippets/csharp/get-user-csharp-snippets.md"));
        assert!(is_sdk_sample("../v1.0/includes/snippets/snippets-sdk-documentation-link.md"));
        assert!(!is_sdk_sample("includes/permissions/user-get-permissions.md"));
        assert!(!is_sdk_sample("api/snippets.md"));
    }
}
