// Called by graphql-inspector with the changes between the last release's schema and
// this one (`--onComplete`). Every breaking change must be listed, by its schema
// coordinate in backticks (`Type.field`, `Type.field.argument`, `Type`), under
// "### Breaking" in the "## Unreleased" section of CHANGELOG.md; otherwise CI fails.
const fs = require("fs");
const path = require("path");

function unreleasedBreaking(changelog) {
  const unreleased = changelog.split(/^## /m).find((s) => s.startsWith("Unreleased"));
  if (!unreleased) return "";
  const breaking = unreleased.split(/^### /m).find((s) => s.startsWith("Breaking"));
  return breaking || "";
}

module.exports = function ({ breakingChanges, dangerousChanges, nonBreakingChanges }) {
  const changelog = fs.readFileSync(path.join(__dirname, "..", "..", "CHANGELOG.md"), "utf8");
  const listed = unreleasedBreaking(changelog);
  console.log(
    `schema changes since the release: ${breakingChanges.length} breaking, ` +
      `${dangerousChanges.length} dangerous, ${nonBreakingChanges.length} safe`
  );
  const unlisted = breakingChanges.filter((c) => !c.path || !listed.includes("`" + c.path + "`"));
  for (const c of breakingChanges) {
    const mark = unlisted.includes(c) ? "NOT IN CHANGELOG" : "listed";
    console.log(`  breaking (${mark}): ${c.path || "(no coordinate)"}: ${c.message}`);
  }
  if (unlisted.length > 0) {
    console.error(
      `${unlisted.length} breaking change(s) are not listed under "### Breaking" of ` +
        `"## Unreleased" in CHANGELOG.md (name each by its coordinate in backticks)`
    );
    process.exit(1);
  }
};
