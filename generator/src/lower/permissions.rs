//! Permissions: the permission tables of a page, in the three forms Graph pages use.
//!
//! Takes the page's Permissions (and Prerequisites) sections; gives one [`Permission`] per row, or
//! per resource and kind, and DB021 when a Permissions section yields none.

use super::*;

impl Page<'_> {
    /// The permission tables of the page, in their three forms: `Permission type | Permissions`
    /// (older pages), `Permission type | Least privileged | Higher privileged` (today's, often from
    /// an include file), and a row per resource: `Supported resource | Delegated (...) | ... |
    /// Application`.
    pub(super) fn permissions(&self, findings: &mut Findings) -> Vec<Permission> {
        let mut permissions = Vec::new();
        for section in self.page.under(&["permissions", "prerequisites"]) {
            for table in tables(section) {
                let first = table.first_header();
                if first.starts_with("permission type") {
                    let higher = table.column(&["higher privileged permissions", "higher privileged permission"]);
                    for row in &table.rows {
                        let (Some(kind), Some(scopes)) = (row.first(), row.get(1)) else { continue };
                        permissions.push(Permission {
                            kind: kind.text.to_string(),
                            scopes: scopes_in(&scopes.text),
                            higher: higher
                                .and_then(|h| row.get(h))
                                .map(|cell| scopes_in(&cell.text))
                                .unwrap_or_default(),
                            resource: None,
                        });
                    }
                } else if table.columns.iter().skip(1).any(|c| c.starts_with("delegated") || c == "application") {
                    // A row per resource (`Supported resource`, `Calendar`, ...), a column per kind.
                    for row in &table.rows {
                        let Some(resource) = row.first().map(|c| c.text.trim()).filter(|r| !r.is_empty()) else {
                            continue;
                        };
                        for (kind, cell) in table.header.iter().zip(row).skip(1) {
                            permissions.push(Permission {
                                kind: kind.text.to_string(),
                                scopes: scopes_in(&cell.text),
                                higher: Vec::new(),
                                resource: Some(resource.to_string()),
                            });
                        }
                    }
                }
            }
        }
        // A Permissions section that yields nothing docbind reads: the operation would have no
        // permissions and nobody would know why.
        if let Some(section) = self.page.under(&["permissions"]).next().filter(|_| permissions.is_empty()) {
            findings.diagnostics.push(
                Code::PermissionsUnread,
                &self.at(section.offset),
                "the Permissions section holds no permission table docbind reads: the operation's permissions are unknown",
            );
        }
        permissions
    }
}

/// The scopes a cell names (`A.Read.All, B.ReadWrite.All`, `A.Read and B.Read`, `**A.Read**`).
pub(super) fn scopes_in(text: &str) -> Vec<String> {
    text.split([',', ' ']).map(|s| s.trim().trim_matches('*')).filter(|s| is_scope(s)).map(str::to_string).collect()
}

/// A permission scope looks like `TermStore.ReadWrite.All`: dotted words, starting with a capital.
pub(super) fn is_scope(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.split('.').count() >= 2
        && text.split('.').all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}
