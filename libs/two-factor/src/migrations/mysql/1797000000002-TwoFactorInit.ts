import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 23: the whole current schema on MySQL 8 and MariaDB 10.6+ (TypeORM's `mysql` driver), in one
 * migration. The SQL is what TypeORM generates from the entities, with two changes both servers need:
 * - every table is utf8mb4 with a binary, NO PAD collation: user ids, keys and hashes compare byte for
 *   byte, as on SQLite and PostgreSQL ('Alice' is not 'alice', 'alice ' is not 'alice'). MySQL names it
 *   `utf8mb4_0900_bin`, MariaDB `utf8mb4_nopad_bin`: the migration asks the server which it is.
 * - the JSON text columns default to `('{}')`: MySQL 8 accepts a TEXT default only as an expression.
 */
export class TwoFactorInit1797000000002 implements MigrationInterface {
    name = 'TwoFactorInit1797000000002'

    public async up(queryRunner: QueryRunner): Promise<void> {
        const [{ version }] = await queryRunner.query(`SELECT VERSION() AS version`);
        const table = `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${/mariadb/i.test(String(version)) ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin'}`;
        await queryRunner.query(`CREATE TABLE \`two_factor_method_config\` (\`id\` int NOT NULL AUTO_INCREMENT, \`title\` varchar(255) NOT NULL DEFAULT '', \`method\` varchar(64) NOT NULL, \`config\` text NOT NULL DEFAULT ('{}'), \`is_active\` tinyint NOT NULL DEFAULT 1, \`is_default\` tinyint NOT NULL DEFAULT 0, \`created_at\` bigint NOT NULL, \`updated_at\` bigint NOT NULL, INDEX \`IDX_two_factor_method_config_method\` (\`method\`), PRIMARY KEY (\`id\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_user_config\` (\`id\` int NOT NULL AUTO_INCREMENT, \`title\` varchar(255) NOT NULL DEFAULT '', \`method_config_id\` int NOT NULL, \`user_id\` varchar(255) NOT NULL, \`status\` varchar(16) NOT NULL, \`config\` text NOT NULL DEFAULT ('{}'), \`is_active\` tinyint NOT NULL DEFAULT 1, \`is_default\` tinyint NOT NULL DEFAULT 0, \`replay_guard\` bigint NOT NULL DEFAULT '0', \`challenge_seq\` int NOT NULL DEFAULT '0', \`confirmed_at\` bigint NULL, \`config_set_at\` bigint NULL, \`created_at\` bigint NOT NULL, \`updated_at\` bigint NOT NULL, INDEX \`IDX_two_factor_user_config_user\` (\`user_id\`, \`method_config_id\`), PRIMARY KEY (\`id\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_confirmation\` (\`id\` varchar(36) NOT NULL, \`method_config_id\` int NOT NULL, \`user_config_id\` int NULL, \`challenge_seq\` int NULL, \`user_id\` varchar(255) NULL, \`purpose\` varchar(16) NOT NULL, \`status\` varchar(16) NOT NULL, \`state\` text NOT NULL DEFAULT ('{}'), \`attempts\` int NOT NULL DEFAULT '0', \`max_attempts\` int NOT NULL, \`expires_at\` bigint NOT NULL, \`created_at\` bigint NOT NULL, \`updated_at\` bigint NOT NULL, INDEX \`IDX_two_factor_confirmation_method_config\` (\`method_config_id\`), INDEX \`IDX_two_factor_confirmation_expires_at\` (\`expires_at\`), INDEX \`IDX_two_factor_confirmation_user\` (\`user_id\`, \`created_at\`), INDEX \`IDX_two_factor_confirmation_user_config\` (\`user_config_id\`), PRIMARY KEY (\`id\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_device\` (\`id\` varchar(36) NOT NULL, \`user_id\` varchar(255) NOT NULL, \`token_hash\` varchar(80) NOT NULL, \`label\` varchar(255) NOT NULL DEFAULT '', \`created_at\` bigint NOT NULL, \`last_used_at\` bigint NOT NULL, \`expires_at\` bigint NOT NULL, UNIQUE INDEX \`IDX_two_factor_device_token_hash\` (\`token_hash\`), INDEX \`IDX_two_factor_device_expires_at\` (\`expires_at\`), INDEX \`IDX_two_factor_device_user\` (\`user_id\`), PRIMARY KEY (\`id\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_enabled_user\` (\`user_id\` varchar(255) NOT NULL, \`enabled_at\` bigint NOT NULL, PRIMARY KEY (\`user_id\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_failure_counter\` (\`key\` varchar(300) NOT NULL, \`count\` int NOT NULL DEFAULT '0', \`last_failed_at\` bigint NOT NULL, PRIMARY KEY (\`key\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_sign_in\` (\`token_hash\` varchar(80) NOT NULL, \`user_id\` varchar(255) NOT NULL, \`confirmation_id\` varchar(36) NULL, \`expires_at\` bigint NOT NULL, \`created_at\` bigint NOT NULL, INDEX \`IDX_two_factor_sign_in_expires_at\` (\`expires_at\`), INDEX \`IDX_two_factor_sign_in_user\` (\`user_id\`), PRIMARY KEY (\`token_hash\`)) ${table}`);
        await queryRunner.query(`CREATE TABLE \`two_factor_rate_counter\` (\`key\` varchar(96) NOT NULL, \`window_start\` bigint NOT NULL, \`count\` int NOT NULL, \`expires_at\` bigint NOT NULL, INDEX \`IDX_two_factor_rate_counter_expires_at\` (\`expires_at\`), PRIMARY KEY (\`key\`)) ${table}`);
        await queryRunner.query(`ALTER TABLE \`two_factor_user_config\` ADD CONSTRAINT \`FK_9b9d549268d43b9cd4753ce1625\` FOREIGN KEY (\`method_config_id\`) REFERENCES \`two_factor_method_config\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` ADD CONSTRAINT \`FK_d51ae09eb9b7aefed5fb2473a2d\` FOREIGN KEY (\`method_config_id\`) REFERENCES \`two_factor_method_config\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` ADD CONSTRAINT \`FK_c820a4683e33618541e5e6fa632\` FOREIGN KEY (\`user_config_id\`) REFERENCES \`two_factor_user_config\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` DROP FOREIGN KEY \`FK_c820a4683e33618541e5e6fa632\``);
        await queryRunner.query(`ALTER TABLE \`two_factor_confirmation\` DROP FOREIGN KEY \`FK_d51ae09eb9b7aefed5fb2473a2d\``);
        await queryRunner.query(`ALTER TABLE \`two_factor_user_config\` DROP FOREIGN KEY \`FK_9b9d549268d43b9cd4753ce1625\``);
        await queryRunner.query(`DROP TABLE \`two_factor_rate_counter\``);
        await queryRunner.query(`DROP TABLE \`two_factor_sign_in\``);
        await queryRunner.query(`DROP TABLE \`two_factor_failure_counter\``);
        await queryRunner.query(`DROP TABLE \`two_factor_enabled_user\``);
        await queryRunner.query(`DROP TABLE \`two_factor_device\``);
        await queryRunner.query(`DROP TABLE \`two_factor_confirmation\``);
        await queryRunner.query(`DROP TABLE \`two_factor_user_config\``);
        await queryRunner.query(`DROP TABLE \`two_factor_method_config\``);
    }

}
