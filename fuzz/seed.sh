#!/usr/bin/env bash
# Builds the seed corpora for the fuzz targets in fuzz/corpus/ (not committed: it holds copies of
# ../shared pages): every docs-input page, the seed page, and a sample of the Graph corpus; for the
# multi-page targets, pages are also joined in small groups.
set -euo pipefail
cd "$(dirname "$0")"
corpus_root="${DOCBIND_CORPUS:-../../shared/graph-docs}"
seed_page="$corpus_root/../seed/update-relations.md"
for target in page resolve emit; do
  mkdir -p "corpus/$target"
  cp ../docs-input/*/*.md "corpus/$target/"
  cp "$seed_page" "corpus/$target/seed-update-relations.md"
  # Every 40th page of each folder: ~280 pages of every kind (api, resource, enum, Intune).
  find "$corpus_root" -name '*.md' | sort | awk 'NR % 40 == 0' | while read -r page; do
    # Named by the path under the corpus: a relative root would start every name with `.._`,
    # hidden from `ls` (and from the count below).
    cp "$page" "corpus/$target/$(echo "${page#"$corpus_root"/}" | tr '/' '_')"
  done
done
# Groups of three pages, joined with the page separator, for resolve and emit.
for target in resolve emit; do
  ls ../docs-input/*/*.md | paste -d' ' - - - | while read -r a b c; do
    { cat "$a"; printf '\n=====\n'; cat "$b"; printf '\n=====\n'; cat "${c:-$a}"; } > "corpus/$target/group-$(basename "$a")"
  done
done
echo "seeded: $(ls corpus/page | wc -l) inputs per target"
