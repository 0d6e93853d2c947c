# syntax=docker/dockerfile:1
# Multi-stage build of the TextSearch server; the runtime image runs as the non-root 'app' user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/TextSearch.Server/TextSearch.Server.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY seeds/ /app/seeds/
ENV TextSearch__GrpcUrl=http://+:50051 \
    TextSearch__HttpUrl=http://+:8080 \
    TextSearch__IndexPath=/data/index \
    TextSearch__SeedsPath=/app/seeds
RUN mkdir -p /data && chown app:app /data
USER app
VOLUME ["/data"]
EXPOSE 50051 8080
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=3 \
  CMD ["dotnet", "TextSearch.Server.dll", "healthcheck", "http://127.0.0.1:50051"]
ENTRYPOINT ["dotnet", "TextSearch.Server.dll"]
