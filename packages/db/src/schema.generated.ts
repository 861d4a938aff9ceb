// placeholder until codegen runs
export interface DB {}
