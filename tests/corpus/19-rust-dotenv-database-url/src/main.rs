mod db;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    dotenvy::dotenv().ok();
    let pool = db::pool().await?;
    let mongo = db::mongo().await?;
    let n = db::count_creators(&pool).await?;
    println!("{n} creators; mongo dbs: {:?}", mongo.list_database_names(None, None).await?);
    Ok(())
}
