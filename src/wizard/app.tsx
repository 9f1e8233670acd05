/** The console shell: Cloudscape app layout, breadcrumbs and the three pages. */
import { AppLayout, BreadcrumbGroup } from '@cloudscape-design/components';
import { useEffect, useState } from 'react';
import { api, type ConsoleConfig } from './api.ts';
import { CreateSecretWizard } from './create/create-secret-wizard.tsx';
import { SecretDetailsPage } from './details/secret-details-page.tsx';
import { SecretsListPage } from './list/secrets-list-page.tsx';
import { hrefOf, navigate, type Route, useRoute } from './router.ts';

function breadcrumbsOf(route: Route) {
  const items = [{ text: 'Secrets', href: hrefOf({ page: 'list' }) }];
  if (route.page === 'create') items.push({ text: 'Store a new secret', href: hrefOf(route) });
  if (route.page === 'details') items.push({ text: route.secretId, href: hrefOf(route) });
  return items;
}

export function App() {
  const route = useRoute();
  const [config, setConfig] = useState<ConsoleConfig | undefined>();
  useEffect(() => {
    api.config().then(setConfig, () => setConfig(undefined));
  }, []);
  return (
    <AppLayout
      navigationHide
      toolsHide
      contentType={route.page === 'create' ? 'wizard' : route.page === 'list' ? 'table' : 'default'}
      ariaLabels={{ navigation: 'Navigation', notifications: 'Notifications' }}
      breadcrumbs={
        <BreadcrumbGroup
          ariaLabel="Breadcrumbs"
          items={breadcrumbsOf(route)}
          onFollow={(event) => {
            event.preventDefault();
            window.location.hash = event.detail.href;
          }}
        />
      }
      content={
        route.page === 'create' ? (
          <CreateSecretWizard config={config} onCancel={() => navigate({ page: 'list' })} />
        ) : route.page === 'details' ? (
          <SecretDetailsPage secretId={route.secretId} config={config} />
        ) : (
          <SecretsListPage config={config} />
        )
      }
    />
  );
}
