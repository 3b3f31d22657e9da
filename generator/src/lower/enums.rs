//! Enums: an enum page's member tables, and the "Possible values" a property's description lists.
//!
//! Takes the page; gives its [`EnumDef`]s, members as written (resolve merges them across pages).

use super::*;

impl Page<'_> {
    pub(super) fn enums(&self) -> Vec<EnumDef> {
        let mut enums = Vec::new();
        for section in &self.page.sections {
            let (name, origin) = if section.title == "members" {
                let Some(title) = &self.page.title else { continue };
                let name = title.text.split_whitespace().next().unwrap_or_default().to_string();
                (name, EnumOrigin::EnumPage)
            } else if section.title.ends_with(" values") {
                let name = section.heading.split_whitespace().next().unwrap_or_default().trim_matches(['`', '*']);
                (name.to_string(), EnumOrigin::ValuesTable)
            } else {
                continue;
            };
            let Some(table) = tables(section).next() else { continue };
            let Some(member_col) = table.column(&["member", "value", "name"]) else { continue };
            let value_col = table.column(&["value", "int value"]).filter(|&c| c != member_col);
            let description_col = table.column(&["description"]);
            let members: Vec<EnumMember> = table
                .rows
                .iter()
                .filter_map(|row| {
                    let name = clean_name(&row.get(member_col)?.text);
                    is_identifier(&name).then(|| EnumMember {
                        name,
                        value: value_col.and_then(|c| row.get(c)?.text.trim().parse().ok()),
                        description: description_col
                            .and_then(|c| row.get(c))
                            .map(|c| c.text.to_string())
                            .unwrap_or_default(),
                    })
                })
                .collect();
            if name.is_empty() || members.is_empty() {
                continue;
            }
            let flags = members.len() > 2
                && members.iter().filter_map(|m| m.value).filter(|v| *v > 2).all(|v| v.count_ones() == 1)
                && members.iter().filter_map(|m| m.value).any(|v| v > 2);
            let description = section.items.iter().find_map(|i| match i {
                Item::Paragraph(p) => Some(p.text.to_string()),
                _ => None,
            });
            enums.push(EnumDef {
                name: self.qualify(&name),
                namespace: self.namespace.clone(),
                area: self.area(),
                description: description.unwrap_or_default(),
                members,
                flags,
                origin,
                source: self.at(section.offset),
            });
        }
        enums
    }
}

/// The members of "Possible values are: `a`, `b`, `c`." in a description.
pub fn possible_values(description: &str) -> Vec<String> {
    const LEAD: &str = "possible values are";
    // Every row's description is asked, and few have a list: a search for `p` or `P` that compares
    // the bytes after it, instead of a lowercased copy of each description.
    let bytes = description.as_bytes();
    let found = memchr::memchr2_iter(b'p', b'P', bytes)
        .find(|&at| bytes.get(at..at + LEAD.len()).is_some_and(|lead| lead.eq_ignore_ascii_case(LEAD.as_bytes())));
    let Some(at) = found else { return Vec::new() };
    let rest = &description[at + LEAD.len()..];
    let rest = rest.trim_start_matches([':', ' ']);
    // The list ends with its sentence.
    let rest = rest.find(". ").map_or(rest, |end| &rest[..=end]);
    let rest = rest.replace(" and ", ", ").replace(" or ", ", ");
    let mut members = Vec::new();
    for token in rest.split(',') {
        let token = token.trim();
        let token = token.strip_prefix("and ").or_else(|| token.strip_prefix("or ")).unwrap_or(token);
        let ends_sentence = token.ends_with('.');
        let word = token.trim_end_matches('.').trim_matches(['`', '\'', '"', '*', ' ']);
        if !is_identifier(word) {
            break;
        }
        members.push(word.to_string());
        if ends_sentence {
            break;
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_values_stop_at_the_end_of_the_list() {
        assert_eq!(possible_values("Kind. Possible values are: pin, reuse. More text, here."), ["pin", "reuse"]);
        assert_eq!(
            possible_values("Possible values are global, system and siteCollection"),
            ["global", "system", "siteCollection"]
        );
        assert_eq!(possible_values("The type. POSSIBLE VALUES ARE `a`, `b`."), ["a", "b"]);
        assert_eq!(possible_values("Not possible values here"), Vec::<String>::new());
    }
}
