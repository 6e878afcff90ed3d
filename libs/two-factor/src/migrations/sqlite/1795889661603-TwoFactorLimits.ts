import { MigrationInterface, QueryRunner } from "typeorm";

export class TwoFactorLimits1795889661603 implements MigrationInterface {
    name = 'TwoFactorLimits1795889661603'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "two_factor_failure_counter" ("key" varchar(300) PRIMARY KEY NOT NULL, "count" integer NOT NULL DEFAULT (0), "last_failed_at" bigint NOT NULL)`);
        await queryRunner.query(`CREATE TABLE "two_factor_rate_counter" ("key" varchar(96) PRIMARY KEY NOT NULL, "window_start" bigint NOT NULL, "count" integer NOT NULL, "expires_at" bigint NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_two_factor_rate_counter_expires_at" ON "two_factor_rate_counter" ("expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_two_factor_rate_counter_expires_at"`);
        await queryRunner.query(`DROP TABLE "two_factor_rate_counter"`);
        await queryRunner.query(`DROP TABLE "two_factor_failure_counter"`);
    }

}
