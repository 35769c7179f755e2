/** Every TypeORM entity, registered with the one data source. Domain modules append here. */
export const entities: Function[] = [];
