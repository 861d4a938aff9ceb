// cron-parser's package entry also loads CronFileParser, which requires `fs`; the Temporal
// workflow bundler rejects that, so cron.ts imports the parser module directly. The package has
// no `exports` map, so this deep path is a plain file; these are its types.
declare module 'cron-parser/dist/CronExpressionParser.js' {
  export { CronExpressionParser } from 'cron-parser'
}
