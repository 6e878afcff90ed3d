import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 21, "Operation binding", on MySQL/MariaDB: a confirmation may be requested for an action
 * with details; it stores the action, a keyed digest of the action and its canonical details
 * (what the step-up guard matches), and the details themselves (shown on `check`). Rows already
 * there are plain proofs (all three null).
 */
export class TwoFactorOperationBinding1797000000302 implements MigrationInterface {
    name = 'TwoFactorOperationBinding1797000000302'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` ADD \`action\` varchar(64) NULL`);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` ADD \`details_digest\` varchar(80) NULL`);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` ADD \`details\` text NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` DROP COLUMN \`details\``);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` DROP COLUMN \`details_digest\``);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` DROP COLUMN \`action\``);
    }

}
