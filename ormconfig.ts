// The DataSource the TypeORM CLI uses (README, "Migrations"): DATABASE_URL picks the database.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './src/database.js';

export default new DataSource(databaseOptions());
