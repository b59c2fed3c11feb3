// `express4` is an npm alias of express@4 (a devDependency); its API matches @types/express here.
declare module 'express4' {
  import express from 'express'
  export default express
}
